"""One trust per module with a signed-in lead: the posts and reports tests share them."""

from __future__ import annotations

import pytest

from tests.applications.helpers import onboard_trust
from tests.workspace.helpers import signed_in_client


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "posts", "Posts NHS Trust")


@pytest.fixture(scope="module")
def lead(app, trust):
    """(client, coordinator id) signed in as a lead of `trust`."""
    return signed_in_client(app, trust, "lead")
