"""schemathesis fuzzes every operation of the platform admins' API with an admin token.

The same default checks as the trust API's fuzzing (tests/api/test_api_fuzzing.py): no
server errors, responses that conform to the document, negative data rejected, positive
data accepted. The operations come from the OpenAPI document, so a new platform endpoint
is fuzzed without any change here.

Valid examples really suspend, resume, export and onboard, so they are kept to trusts of
their own: every `{slug}` is pinned to a trust made for this module (never the demo trusts
or another test's), and a valid onboarding gets one of two slugs reserved here, so at most
two trusts are onboarded (the rest are a 409, "slug taken", which costs nothing).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from peerpath.admin import accounts, tokens
from tests.admin.conftest import ADMIN_PASSWORD, new_admin_email
from tests.api.api_helpers import (
    PLATFORM_API,
    bearer,
    fuzzing_schema,
    is_positive,
    lifted_rate_limits,
)

# The test database is made afresh for every run, so fixed slugs are free; they have to be
# known when the tests are collected, before any fixture runs.
FUZZ_SLUG = "platform-fuzzing"
NEW_SLUGS = ("platform-fuzz-new-a", "platform-fuzz-new-b")
ONBOARD = ("POST", PLATFORM_API + "trusts")

schema = fuzzing_schema(PLATFORM_API, {"slug": [FUZZ_SLUG]})


@pytest.fixture(scope="module")
def fuzz_token(app, make_module_trust) -> str:
    make_module_trust(FUZZ_SLUG)
    with app.app_context():
        admin = accounts.create_admin(new_admin_email(), ADMIN_PASSWORD)
        _token, text = tokens.issue(admin.id, "fuzzing")
    with lifted_rate_limits(app):
        yield text


@pytest.fixture(scope="module")
def make_module_trust(app):
    from peerpath import trust_admin

    def make(slug: str):
        with app.app_context():
            return trust_admin.onboard(slug=slug, display_name="Fuzzed NHS Trust", actor="test")

    return make


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_platform_operation_survives_fuzzing(case, app, fuzz_token):
    case.operation.schema.app = app  # the parametrized copy of `schema` is made at collection
    if (case.method.upper(), case.path) == ONBOARD and is_positive(case) \
            and isinstance(case.body, dict):
        # Still valid data (the slugs match the document's pattern), on slugs of this module.
        case.body = {**case.body, "slug": NEW_SLUGS[len(case.body["display_name"]) % 2]}
    case.call_and_validate(headers=bearer(fuzz_token), app=app)
