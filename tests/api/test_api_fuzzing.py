"""schemathesis fuzzes every operation of the OpenAPI document against the app (WSGI).

Default checks: no server errors, responses conform to the document (status, headers,
content type, schema), negative data rejected, positive data accepted. The operations come
from the document, so a new endpoint is fuzzed without any change here.
"""

from __future__ import annotations

import copy

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from peerpath.api import CONDITIONAL_METHODS
from tests.api.api_helpers import ApiTrust, bearer, collected_document, make_api_trust

# The test database is made afresh for every run, so a fixed slug is free; it has to be known
# when the tests are collected, before any fixture runs.
FUZZ_SLUG = "api-fuzzing"

# schemathesis parametrizes at collection time, from the document of an app made then
# (its lazy `from_fixture` loader does not work with pytest 9).


def fuzzing_document() -> dict:
    """The API's document with the trust slug pinned to the fuzzed trust.

    (Pinned in the document rather than with schemathesis' parameter override, so negative
    cases still get other slugs, and a 404 for them.)
    """
    document = copy.deepcopy(collected_document())
    for item in document["paths"].values():
        for parameter in item.get("parameters", []):
            if parameter["name"] == "trust_slug":
                parameter["schema"] = {"type": "string", "enum": [FUZZ_SLUG]}
    return document


schema = schemathesis.openapi.from_dict(fuzzing_document(), config=schemathesis.Config.from_dict({
    # A PUT/PATCH without If-Match is a 428 Precondition Required (RFC 6585), by design.
    "checks": {"missing_required_header": {"expected-statuses": [
        "400", "401", "403", "406", "415", "422", "428"]}},
}))


@pytest.fixture(scope="module")
def fuzz_trust(app) -> ApiTrust:
    # Fuzzing sends far more than a client would: lift the per-token limits meanwhile
    # (test_api_conventions.py checks the limits themselves).
    saved = {k: app.config.get(k) for k in ("API_RATE_LIMIT_READ", "API_RATE_LIMIT_WRITE")}
    app.config.update(API_RATE_LIMIT_READ="100000/minute", API_RATE_LIMIT_WRITE="100000/minute")
    yield make_api_trust(app, slug=FUZZ_SLUG)
    for key, value in saved.items():
        if value is None:
            app.config.pop(key, None)
        else:
            app.config[key] = value


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


def is_positive(case) -> bool:
    return case.meta is None or not case.meta.generation.mode.is_negative
