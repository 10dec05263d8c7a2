"""A token of one trust gets 404 and no data from every operation of another trust; a
trust's token gets 401 from every platform operation, and an admin token 401 from every
trust operation.

The operations come from the OpenAPI document, so every new endpoint is probed.
"""

from __future__ import annotations

import pytest

from peerpath.admin import accounts, tokens
from peerpath.extensions import db
from peerpath.models import Trust
from peerpath.tenancy import tenant_context
from tenants.api_tokens.models import ApiToken
from tests.api.api_helpers import bearer, fill_path, platform_operations, trust_operations

OPERATIONS = trust_operations()
PLATFORM_OPERATIONS = platform_operations()


def each(operations):
    return pytest.mark.parametrize(("path", "method", "operation"), operations,
                                   ids=[f"{m} {p}" for p, m, _ in operations])


def assert_refused(response, status: int, victim) -> None:
    """`status` with a bare error body, and nothing of the victim trust in it."""
    assert response.status_code == status, (response.request.method, response.request.path,
                                            response.get_data())
    error = response.get_json()["error"]
    assert set(response.get_json()) == {"error"} and set(error) == {"status", "message"}
    assert error["status"] == status
    body = response.get_data(as_text=True)
    assert victim.tenant.display_name not in body and "spare" not in body


def test_there_are_trust_operations_to_probe():
    assert len(OPERATIONS) >= 5


@each(OPERATIONS)
def test_another_trusts_token_gets_404_and_no_data(client, api_trust, other_api_trust,
                                                     path, method, operation):
    victim, attacker = api_trust, other_api_trust
    url = fill_path(path, victim.tenant.slug, victim.spare_token_id)  # a real victim id
    forged = attacker.write_token.replace(attacker.tenant.slug, victim.tenant.slug, 1)
    for token, expected in ((attacker.write_token, 404), (forged, 401)):
        response = client.open(url, method=method, json={"name": "taken over"},
                               headers={**bearer(token), "If-Match": "*"})
        assert_refused(response, expected, victim)


def test_probes_changed_nothing_in_the_victim_trust(app, client, api_trust, other_api_trust):
    for path, method, _ in OPERATIONS:
        client.open(fill_path(path, api_trust.tenant.slug, api_trust.spare_token_id),
                    method=method, json={"name": "taken over"},
                    headers={**bearer(other_api_trust.write_token), "If-Match": "*"})
    with tenant_context(api_trust.tenant, app):
        spare = db.session.get(ApiToken, api_trust.spare_token_id)
        assert spare.name == "spare" and spare.revoked_at is None


@pytest.fixture(scope="module")
def admin_token(app) -> str:
    with app.app_context():
        admin = accounts.create_admin("probe-admin@peerpath.example", "probe admin password")
        return tokens.issue(admin.id, "probe")[1]


def test_there_are_platform_operations_to_probe():
    assert len(PLATFORM_OPERATIONS) >= 10


@each(PLATFORM_OPERATIONS)
def test_a_trust_token_gets_401_from_every_platform_operation(client, api_trust, admin_token,
                                                              path, method, operation):
    url = fill_path(path, api_trust.tenant.slug, 1)
    for token in (api_trust.write_token, api_trust.read_token, "pa_" + api_trust.write_token):
        response = client.open(url, method=method, json={"confirmation": api_trust.tenant.slug},
                               headers=bearer(token))
        assert_refused(response, 401, api_trust)
    # An admin token gets past the guard (so the 401 was the token's); on a trust that does
    # not exist, so that nothing changes.
    unknown = fill_path(path, "no-such-trust", 1)
    assert client.open(unknown, method=method, json={}, headers=bearer(admin_token)
                       ).status_code in (200, 404, 422)


@each(OPERATIONS)
def test_an_admin_token_gets_401_from_every_trust_operation(client, api_trust, admin_token,
                                                           path, method, operation):
    url = fill_path(path, api_trust.tenant.slug, api_trust.spare_token_id)
    response = client.open(url, method=method, json={"name": "taken over"},
                           headers={**bearer(admin_token), "If-Match": "*"})
    assert_refused(response, 401, api_trust)


def test_platform_probes_changed_no_trust(app, client, api_trust):
    for path, method, _ in PLATFORM_OPERATIONS:
        client.open(fill_path(path, api_trust.tenant.slug, 1), method=method,
                    json={"confirmation": api_trust.tenant.slug},
                    headers=bearer(api_trust.write_token))
    with app.app_context():
        trust = db.session.scalars(db.select(Trust).filter_by(slug=api_trust.tenant.slug)).one()
        assert trust.status == "active"
