"""Coordinators make (shown once), list and revoke their API tokens in the workspace."""

from __future__ import annotations

import re
import secrets

import pytest

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator
from tests.api.api_helpers import bearer
from tests.test_coordinator_sign_in import LEAD_SECRET, csrf_from, sign_in

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def staff(app):
    with app.app_context():
        tenant = trust_admin.onboard(slug=f"tokens-{secrets.token_hex(4)}",
                                     display_name="Token NHS Trust", actor="test")
    with tenant_context(tenant, app):
        for role in ("lead", "coordinator", "read_only"):
            create_coordinator(db.session, email=f"{role}@tokens.example",
                               display_name=role.title(), role=role, password=PASSWORD,
                               totp_secret=LEAD_SECRET)
        db.session.commit()
    return tenant


def pages(tenant) -> str:
    return f"/trusts/{tenant.slug}/coordinator/api-tokens"


def create(client, tenant, **form):
    page = client.get(pages(tenant) + "/new")
    return client.post(pages(tenant) + "/new", data={**form, "csrf_token": csrf_from(page)})


def sign_out(client, tenant):
    client.post(f"/trusts/{tenant.slug}/coordinator/sign-out",
                data={"csrf_token": csrf_from(client.get(pages(tenant) + "/new"))})


def test_a_coordinator_creates_a_token_that_is_shown_once_and_works(client, staff):
    sign_in(client, staff, "coordinator@tokens.example", PASSWORD)
    created = create(client, staff, name="HR system", scope="write", days="30")
    assert created.status_code == 200
    text = re.search(r'value="(pp_[^"]+)"', created.get_data(as_text=True)).group(1)
    assert client.get(f"/api/v1/trusts/{staff.slug}/", headers=bearer(text)).status_code == 200
    listing = client.get(pages(staff)).get_data(as_text=True)
    assert "HR system" in listing and "Read and change" in listing
    assert text not in listing and text.rsplit("_", 1)[-1] not in listing


def test_a_missing_name_is_an_error_summary_and_keeps_the_answers(client, staff):
    sign_in(client, staff, "coordinator@tokens.example", PASSWORD)
    response = create(client, staff, name="", scope="write", days="180")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body and "<title>Error: " in body
    assert "Enter a name for the token" in body
    assert re.search(r'value="180"[^>]*checked', body) and re.search(r'value="write"[^>]*checked',
                                                                        body)


def test_a_read_only_coordinator_cannot_make_a_write_token(client, staff):
    sign_in(client, staff, "read_only@tokens.example", PASSWORD)
    assert 'value="write"' not in client.get(pages(staff) + "/new").get_data(as_text=True)
    response = create(client, staff, name="sneaky", scope="write", days="30")
    assert response.status_code == 400
    assert "Your role may only make read tokens" in response.get_data(as_text=True)


def test_a_lead_sees_and_revokes_everyones_tokens_others_only_their_own(app, client, staff):
    sign_in(client, staff, "coordinator@tokens.example", PASSWORD)
    created = create(client, staff, name="Reporting", scope="read", days="90")
    text = re.search(r'value="(pp_[^"]+)"', created.get_data(as_text=True)).group(1)
    token_id = int(text.split("_")[2])
    sign_out(client, staff)

    sign_in(client, staff, "read_only@tokens.example", PASSWORD)
    assert "Reporting" not in client.get(pages(staff)).get_data(as_text=True)
    refused = client.post(f"{pages(staff)}/{token_id}/revoke",
                          data={"csrf_token": csrf_from(client.get(pages(staff) + "/new"))})
    assert refused.status_code == 404
    sign_out(client, staff)

    sign_in(client, staff, "lead@tokens.example", PASSWORD)
    listing = client.get(pages(staff))
    assert "Reporting" in listing.get_data(as_text=True)
    revoked = client.post(f"{pages(staff)}/{token_id}/revoke",
                          data={"csrf_token": csrf_from(listing)})
    assert revoked.status_code == 302
    assert "Revoked" in client.get(pages(staff)).get_data(as_text=True)
    assert client.get(f"/api/v1/trusts/{staff.slug}/", headers=bearer(text)).status_code == 401
