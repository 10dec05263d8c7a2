"""Bearer tokens for the trust API: hashed, scoped, expiring, revocable, bound to a trust."""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens import service
from tenants.api_tokens.models import ApiToken
from tenants.coordinators.service import create_coordinator


@pytest.fixture
def issued(app, make_trust):
    """(tenant, read token text, write token text, read token id)"""
    tenant = make_trust(display_name="API NHS Trust")
    with app.app_context(), tenant_context(tenant):
        lead = create_coordinator(db.session, email="lead@api.example", display_name="Lead",
                                  role="lead", password="pw-pw-pw-pw")
        read, read_text = service.issue(db.session, tenant, lead.id, "reporting", "read")
        _, write_text = service.issue(db.session, tenant, lead.id, "hr sync", "write")
        db.session.commit()
        stored = db.session.get(ApiToken, read.id).secret_hash
        assert read_text.split("_", 3)[3] not in stored  # only a hash is kept
    return tenant, read_text, write_text, read.id


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def test_a_token_reads_its_own_trust(client, issued):
    tenant, read_text, _, _ = issued
    response = client.get(f"/api/v1/trusts/{tenant.slug}/", headers=bearer(read_text))
    assert response.status_code == 200
    assert response.get_json()["display_name"] == "API NHS Trust"


def test_no_or_malformed_token_is_a_401_json_body(client, issued):
    tenant = issued[0]
    for headers in ({}, {"Authorization": "Basic abc"}, bearer("pp_nope"), bearer("x" * 500)):
        response = client.get(f"/api/v1/trusts/{tenant.slug}/", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["status"] == 401


def test_a_token_of_one_trust_gets_404_at_another(client, issued, make_trust):
    other = make_trust()
    response = client.get(f"/api/v1/trusts/{other.slug}/", headers=bearer(issued[1]))
    assert response.status_code == 404
    assert "API NHS Trust" not in response.get_data(as_text=True)


def test_a_wrong_secret_and_a_revoked_token_are_refused(app, client, issued):
    tenant, read_text, _, read_id = issued
    tampered = read_text[:-4] + ("AAAA" if not read_text.endswith("AAAA") else "BBBB")
    assert client.get(f"/api/v1/trusts/{tenant.slug}/", headers=bearer(tampered)).status_code \
        == 401
    with app.app_context(), tenant_context(tenant):
        service.revoke(db.session, read_id)
        db.session.commit()
    response = client.get(f"/api/v1/trusts/{tenant.slug}/", headers=bearer(read_text))
    assert response.status_code == 401 and "revoked" in response.get_json()["error"]["message"]


def test_parse_takes_secrets_with_underscores():
    assert service.parse("pp_norfolk-suffolk_12_ab_c-d") == ("norfolk-suffolk", 12, "ab_c-d")
    assert service.parse("pp_x_notanumber_s") is None
