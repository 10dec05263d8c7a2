"""A token of one trust gets 404 and no data from every operation of another trust.

The operations come from the OpenAPI document, so every new endpoint is probed.
"""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.models import ApiToken
from tests.api.api_helpers import bearer, fill_path, trust_operations

OPERATIONS = trust_operations()


def test_there_are_trust_operations_to_probe():
    assert len(OPERATIONS) >= 5


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS,
                         ids=[f"{m} {p}" for p, m, _ in OPERATIONS])
def test_another_trusts_token_gets_404_and_no_data(client, api_trust, other_api_trust,
                                                     path, method, operation):
    victim, attacker = api_trust, other_api_trust
    url = fill_path(path, victim.tenant.slug, victim.spare_token_id)  # a real victim id
    forged = attacker.write_token.replace(attacker.tenant.slug, victim.tenant.slug, 1)
    for token, expected in ((attacker.write_token, 404), (forged, 401)):
        response = client.open(url, method=method, json={"name": "taken over"},
                               headers={**bearer(token), "If-Match": "*"})
        assert response.status_code == expected, (method, url, response.get_data())
        error = response.get_json()["error"]
        assert set(response.get_json()) == {"error"} and set(error) == {"status", "message"}
        assert error["status"] == expected
        body = response.get_data(as_text=True)
        assert victim.tenant.display_name not in body and "spare" not in body


def test_probes_changed_nothing_in_the_victim_trust(app, client, api_trust, other_api_trust):
    for path, method, _ in OPERATIONS:
        client.open(fill_path(path, api_trust.tenant.slug, api_trust.spare_token_id),
                    method=method, json={"name": "taken over"},
                    headers={**bearer(other_api_trust.write_token), "If-Match": "*"})
    with tenant_context(api_trust.tenant, app):
        spare = db.session.get(ApiToken, api_trust.spare_token_id)
        assert spare.name == "spare" and spare.revoked_at is None
