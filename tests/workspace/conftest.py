"""One trust with a cohort and a signed-in lead per module: the workspace tests share them."""

from __future__ import annotations

import pytest

from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import signed_in_client


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "ws", "Workspace NHS Trust")


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust, capacity=3)


@pytest.fixture(scope="module")
def lead(app, trust):
    """(client, coordinator id) signed in as a lead of `trust`."""
    return signed_in_client(app, trust, "lead")
