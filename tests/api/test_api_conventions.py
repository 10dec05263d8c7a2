"""The conventions of peerpath.api, on the token endpoints: input errors, ETags, pages,
rate limits, and that every registered operation is documented and guarded."""

from __future__ import annotations

import pytest

from peerpath.api import api_operation
from peerpath.openapi import UNDOCUMENTED
from tenants.api_tokens.auth import api_access
from tenants.api_tokens.schemas import TokenSchema
from tests.api.api_helpers import (
    PLATFORM_API,
    bearer,
    make_api_trust,
    platform_operations,
    trust_operations,
)


def test_every_api_route_is_in_the_document_with_schemas_and_a_token_guard(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    operations = trust_operations()
    assert {(p, m) for p, m, _ in operations} >= {
        ("/api/v1/trusts/{trust_slug}/", "GET"),
        ("/api/v1/trusts/{trust_slug}/api-tokens", "GET"),
        ("/api/v1/trusts/{trust_slug}/api-tokens/{token_id}", "PATCH")}
    for path, method, operation in operations:
        assert UNDOCUMENTED not in operation, f"{method} {path} lacks @api_operation"
        assert operation["security"] == [{"bearerAuth": []}], f"{method} {path} lacks @api_access"


def test_every_platform_route_is_in_the_document_behind_the_admin_token(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["adminBearerAuth"]["bearerFormat"].startswith("pa_")
    assert schemes["bearerAuth"]["bearerFormat"].startswith("pp_")
    operations = platform_operations()
    routes = {(rule.rule, method) for rule in app.url_map.iter_rules()
              if rule.rule.startswith(PLATFORM_API)
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert len(routes) == len(operations) >= 10
    for path, method, operation in operations:
        assert UNDOCUMENTED not in operation, f"{method} {path} lacks @api_operation"
        assert operation["security"] == [{"adminBearerAuth": []}], \
            f"{method} {path} lacks @admin_api_access"


def test_the_documentation_page_lists_operations_without_outside_scripts(client):
    response = client.get("/api/v1/docs")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "PATCH /api/v1/trusts/{trust_slug}/api-tokens/{token_id}" in body
    assert "POST /api/v1/platform/trusts/{slug}/offboard" in body and "pa_&lt;id&gt;" in body
    assert 'id="schema-Token"' in body and "If-Match" in body
    assert "https://" not in body.replace("https://assets.nhs.uk", "")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_api_access_must_sit_above_api_operation():
    with pytest.raises(TypeError, match="above"):
        api_operation(response=TokenSchema)(api_access("api_tokens:read")(lambda: None))
    with pytest.raises(TypeError, match="PageQuery"):
        api_operation(response=TokenSchema, paginated=True, query=TokenSchema)


def test_malformed_or_non_json_bodies_are_400_and_invalid_fields_422(client, api_trust):
    url = f"{api_trust.prefix}/api-tokens/{api_trust.spare_token_id}"
    headers = {**bearer(api_trust.write_token), "If-Match": "*"}
    for data, content_type in (("{not json", "application/json"), ('{"name": "x"}', "text/plain"),
                               ("NaN", "application/json"), ("[" * 100000, "application/json")):
        response = client.patch(url, data=data, content_type=content_type, headers=headers)
        assert response.status_code == 400, data[:20]
        assert response.get_json()["error"]["status"] == 400
    for body, field in (({"name": "x" * 101}, "name"), ({}, "name"), ({"name": "a\x00b"}, "name"),
                        ({"name": "ok", "scope": "write"}, "scope")):
        response = client.patch(url, json=body, headers=headers)
        assert response.status_code == 422
        assert field in response.get_json()["error"]["fields"]


def test_an_update_needs_the_current_etag(client, api_trust):
    url = f"{api_trust.prefix}/api-tokens/{api_trust.spare_token_id}"
    read = client.get(url, headers=bearer(api_trust.read_token))
    etag = read.headers["ETag"]
    write = bearer(api_trust.write_token)
    missing = client.patch(url, json={"name": "renamed"}, headers=write)
    assert missing.status_code == 428
    stale = client.patch(url, json={"name": "renamed"}, headers={**write, "If-Match": '"old"'})
    assert stale.status_code == 412
    done = client.patch(url, json={"name": "renamed"}, headers={**write, "If-Match": etag})
    assert done.status_code == 200 and done.get_json()["name"] == "renamed"
    again = client.patch(url, json={"name": "spare"}, headers={**write, "If-Match": etag})
    assert again.status_code == 412  # someone else's change is not overwritten
    assert client.get(url, headers=write).headers["ETag"] != etag


def test_lists_are_paged_with_an_opaque_cursor(app, client):
    trust = make_api_trust(app)  # three tokens
    url, headers = f"{trust.prefix}/api-tokens", bearer(trust.read_token)
    seen, cursor = [], None
    while True:
        page = client.get(url, query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
                          headers=headers).get_json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 3
    for query in ({"limit": 101}, {"limit": 0}, {"cursor": "not a cursor"}, {"unknown": "1"}):
        response = client.get(url, query_string=query, headers=headers)
        assert response.status_code == 422, query


def test_each_token_has_its_own_read_and_write_rate_limits(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_READ", "2/minute")
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_WRITE", "1/minute")
    trust = make_api_trust(app)
    url = f"{trust.prefix}/api-tokens/{trust.spare_token_id}"
    statuses = [client.get(url, headers=bearer(trust.write_token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get(url, headers=bearer(trust.write_token))
    assert limited.get_json()["error"]["status"] == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert client.get(url, headers=bearer(trust.read_token)).status_code == 200  # another token
    write = {**bearer(trust.write_token), "If-Match": "*"}
    assert client.patch(url, json={"name": "a"}, headers=write).status_code == 200
    assert client.patch(url, json={"name": "b"}, headers=write).status_code == 429


def test_a_token_revokes_another_of_yours_but_not_itself(client, app):
    trust = make_api_trust(app)
    write = bearer(trust.write_token)
    own = client.delete(f"{trust.prefix}/api-tokens/{trust.write_token_id}", headers=write)
    assert own.status_code == 409
    read_id = client.get(f"{trust.prefix}/api-tokens", headers=write).get_json()["items"][-1]["id"]
    assert client.delete(f"{trust.prefix}/api-tokens/{read_id}", headers=write).status_code == 204
    assert client.get(f"{trust.prefix}/", headers=bearer(trust.read_token)).status_code == 401
    token = client.get(f"{trust.prefix}/api-tokens/{read_id}", headers=write).get_json()
    assert token["status"] == "revoked" and token["revoked_at"]


def test_a_read_token_may_not_write_and_odd_ids_are_404(client, api_trust):
    url = f"{api_trust.prefix}/api-tokens/{api_trust.spare_token_id}"
    response = client.delete(url, headers=bearer(api_trust.read_token))
    assert response.status_code == 403
    huge = f"{api_trust.prefix}/api-tokens/{2**70}"
    assert client.get(huge, headers=bearer(api_trust.read_token)).status_code == 404


def test_an_unsupported_method_is_405_with_allow(client, api_trust):
    response = client.put(f"{api_trust.prefix}/api-tokens", headers=bearer(api_trust.read_token))
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["status"] == 405
