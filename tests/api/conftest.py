"""API test fixtures: trusts with a lead coordinator and read/write tokens, made once a module."""

from __future__ import annotations

import pytest

from tests.api.api_helpers import ApiTrust, make_api_trust


@pytest.fixture(scope="module")
def api_trust(app) -> ApiTrust:
    return make_api_trust(app)


@pytest.fixture(scope="module")
def other_api_trust(app) -> ApiTrust:
    return make_api_trust(app, display_name="Other NHS Trust")
