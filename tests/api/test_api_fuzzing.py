"""schemathesis fuzzes every trust operation of the OpenAPI document against the app (WSGI).

Default checks: no server errors, responses conform to the document (status, headers,
content type, schema), negative data rejected, positive data accepted. The operations come
from the document, so a new endpoint is fuzzed without any change here.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from peerpath.api import CONDITIONAL_METHODS
from tests.api.api_helpers import (
    TRUST_API,
    ApiTrust,
    bearer,
    fuzzing_schema,
    is_positive,
    lifted_rate_limits,
    make_api_trust,
)

# The test database is made afresh for every run, so a fixed slug is free; it has to be known
# when the tests are collected, before any fixture runs.
FUZZ_SLUG = "api-fuzzing"

# Trust operations only: the platform admins' API has its own fuzz test (tests/admin).
schema = fuzzing_schema(TRUST_API, {"trust_slug": [FUZZ_SLUG]})


@pytest.fixture(scope="module")
def fuzz_trust(app) -> ApiTrust:
    with lifted_rate_limits(app):
        yield make_api_trust(app, slug=FUZZ_SLUG)


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_api_operation_survives_fuzzing(case, app, client, fuzz_trust):
    case.operation.schema.app = app  # the parametrized copy of `schema` is made at collection
    headers = bearer(fuzz_trust.write_token)
    if case.method.upper() in CONDITIONAL_METHODS and is_positive(case):
        # A valid update carries the resource's current ETag, as a client would after a GET.
        current = client.get(case.formatted_path, headers=headers)
        if current.status_code == 200:
            case.headers["If-Match"] = current.headers["ETag"]
    case.call_and_validate(headers=headers, app=app)
