"""The platform JSON API: admin tokens, onboarding, status, exports, offboarding, audit."""

from __future__ import annotations

import re

import pytest

from tests.conftest import unique_slug

API = "/api/v1/platform"


@pytest.fixture
def api(client, api_token):
    headers = {"Authorization": f"Bearer {api_token}"}

    def call(method, path, **kwargs):
        return client.open(API + path, method=method, headers=headers, **kwargs)

    return call


def test_the_api_refuses_requests_without_a_valid_admin_token(client, api_token):
    assert client.get(f"{API}/trusts").status_code == 401
    broken = api_token[:-3] + "xyz"
    for header in (f"Bearer {broken}", "Bearer pp_trust_1_secret", "Basic abc"):
        response = client.get(f"{API}/trusts", headers={"Authorization": header})
        assert response.status_code == 401 and response.json["error"]["status"] == 401


def test_scripted_onboarding_creates_the_trust_and_invites_its_lead(api, owner_conn):
    slug = unique_slug("api")
    response = api("POST", "/trusts", json={
        "display_name": "Scripted NHS Trust", "slug": slug, "hosts": ["scripted.example"],
        "lead_email": "lead@scripted.example"})
    assert response.status_code == 201, response.json
    assert response.json["run"]["status"] == "succeeded"
    schema = "trust_" + slug.replace("-", "_")
    assert owner_conn.execute(f'SELECT email, role FROM "{schema}".coordinators').fetchall() == [
        ("lead@scripted.example", "lead")]
    listed = {t["slug"]: t for t in every_item(api, "/trusts")}
    assert listed[slug]["status"] == "active" and listed[slug]["up_to_date"] is True
    assert len(listed[slug]["weekly"]) == 8 and listed[slug]["weekly"][-1]["applications"] == 0
    again = api("POST", "/trusts", json={"display_name": "Again", "slug": slug,
                                         "lead_email": "lead@scripted.example"})
    assert again.status_code == 409 and "already exists" in again.json["error"]["message"]


def test_invalid_fields_get_a_422_and_malformed_json_a_400(api):
    response = api("POST", "/trusts", json={"slug": "Bad Slug", "hosts": ["nope"],
                                            "lead_email": "x"})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert {"slug", "hosts", "lead_email", "display_name"} <= set(fields)
    bad = api("POST", "/trusts", data="{not json", content_type="application/json")
    assert bad.status_code == 400
    not_an_object = api("POST", "/trusts", json=[1, 2])  # JSON, but not an object: as the
    assert not_an_object.status_code == 422  # trust API, an invalid body rather than malformed


def test_a_failure_during_scripted_onboarding_leaves_nothing_and_says_why(api, app, owner_conn,
                                                                          monkeypatch):
    def broken_step(session, tenant):
        raise RuntimeError("template store unavailable")

    monkeypatch.setitem(app.extensions, "tenant_setup_steps", [broken_step])
    slug = unique_slug("fail")
    response = api("POST", "/trusts", json={"display_name": "Doomed NHS Trust", "slug": slug,
                                            "lead_email": "lead@doomed.example"})
    assert response.status_code == 409
    message = response.json["error"]["message"]
    assert "template store unavailable" in message
    run_id = re.search(r"/onboarding/(\d+)", message).group(1)
    run = api("GET", f"/onboarding/{run_id}").json
    assert run["status"] == "failed" and "template store unavailable" in run["error"]
    schema = "trust_" + slug.replace("-", "_")
    assert owner_conn.execute(
        "SELECT (SELECT count(*) FROM platform.trusts WHERE slug = %s), "
        "(SELECT count(*) FROM pg_namespace WHERE nspname = %s), "
        "(SELECT count(*) FROM pg_roles WHERE rolname = %s)",
        (slug, schema, schema + "_rw")).fetchone() == (0, 0, 0)


def test_suspend_export_offboard_and_audit_through_the_api(api, make_trust, owner_conn):
    tenant = make_trust()
    slug = tenant.slug
    assert api("POST", f"/trusts/{slug}/suspend").json == {"slug": slug, "status": "suspended"}
    made = api("POST", f"/trusts/{slug}/exports")
    assert made.status_code == 201 and len(made.json["sha256"]) == 64
    assert len(made.json["passphrase"]) >= 30  # shown once: the zip is encrypted with it
    assert api("GET", made.json["download"][len(API):]).status_code == 200
    refused = api("POST", f"/trusts/{slug}/offboard", json={"confirmation": "nope"})
    assert refused.status_code == 409
    assert api("POST", f"/trusts/{slug}/offboard", json={}).status_code == 422
    done = api("POST", f"/trusts/{slug}/offboard", json={"confirmation": slug})
    assert done.status_code == 200
    assert owner_conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                              (tenant.role,)).fetchone() == (0,)
    entries = api("GET", f"/audit?trust={slug}").json["items"]
    assert [e["action"] for e in entries][:4] == [
        "trust.offboarded", "trust.export_downloaded", "trust.exported", "trust.suspended"]
    assert api("GET", "/audit?from=yesterday").status_code == 422
    assert api("POST", "/trusts/no-such-trust/suspend").status_code == 404


def every_item(api, path: str, **filters) -> list[dict]:
    """All the items of a paged list, a page of two at a time."""
    items, cursor = [], None
    while True:
        page = api("GET", path, query_string={**filters, "limit": 2,
                                              **({"cursor": cursor} if cursor else {})}).json
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_the_audit_log_pages_back_through_older_entries(api, make_trust):
    slug = make_trust().slug
    for action in ("suspend", "resume", "suspend"):
        assert api("POST", f"/trusts/{slug}/{action}").status_code == 200
    actions = [e["action"] for e in every_item(api, "/audit", trust=slug)]
    assert actions == ["trust.suspended", "trust.active", "trust.suspended", "trust.onboarded"]
    for query in ("limit=0", "cursor=!", "to=9999-12-31", "from=", "before=3"):
        assert api("GET", f"/audit?{query}").status_code == 422, query


def test_the_fleet_says_the_schema_head(api):
    fleet = api("GET", "/fleet")
    assert fleet.status_code == 200 and fleet.json["head"]
    assert set(fleet.json) == {"head", "last_upgrade_run"}
