"""The same provider settings through the trust's JSON API: a lead's token only, with ETags,
and the Notify key write-only."""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens import service as api_tokens
from tenants.audit.models import AuditEvent
from tenants.coordinators.service import create_coordinator
from tenants.notifications import keys
from tenants.notifications.models import ChannelSettings
from tests.api.api_helpers import bearer, make_api_trust
from tests.notifications.conftest import notify_api_key

SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
BODY = {"email_provider": "smtp", "sms_provider": "notify", "notify_sms_template_id": SMS_TEMPLATE,
        "quiet_hours_start": "21:30", "quiet_hours_end": "07:45", "sms_fallback": False}


@pytest.fixture(scope="module")
def api_trust(app):
    return make_api_trust(app, slug=None)


def put(client, trust, body, etag=None):
    url = f"{trust.prefix}/notifications/settings"
    etag = etag or client.get(url, headers=bearer(trust.write_token)).headers["ETag"]
    return client.put(url, json=body, headers={**bearer(trust.write_token), "If-Match": etag})


def test_a_leads_token_reads_the_providers_without_any_secret(client, api_trust):
    response = client.get(f"{api_trust.prefix}/notifications/settings",
                          headers=bearer(api_trust.read_token))
    assert response.status_code == 200 and response.headers["ETag"]
    assert response.get_json() == {
        "email_provider": "smtp", "sms_provider": "none", "notify_api_key_set": False,
        "notify_email_template_id": None, "notify_sms_template_id": None,
        "quiet_hours_start": "21:00", "quiet_hours_end": "08:00", "sms_fallback": True,
        "callback_token_set": False}


def test_choosing_notify_needs_a_key_and_the_key_is_write_only(app, client, api_trust):
    refused = put(client, api_trust, BODY)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["fields"] == {
        "notify_api_key": "Enter your GOV.UK Notify API key to send through Notify"}
    key = notify_api_key()
    done = put(client, api_trust, {**BODY, "notify_api_key": key})
    assert done.status_code == 200 and key not in done.get_data(as_text=True)
    assert done.get_json()["notify_api_key_set"] is True
    assert done.get_json()["quiet_hours_start"] == "21:30"
    kept = put(client, api_trust, {**BODY, "sms_fallback": True})  # no key: the key stays
    assert kept.status_code == 200 and kept.get_json()["sms_fallback"] is True
    with tenant_context(api_trust.tenant, app=app):
        settings = db.session.get(ChannelSettings, 1)
        assert keys.unseal(settings.notify_api_key_sealed) == key
        audits = db.session.query(AuditEvent).filter_by(
            action="notifications.settings_changed").all()
    assert [a.actor for a in audits] == [f"api-token:{api_trust.write_token_id}"] * 2
    assert "notify_api_key" in audits[0].detail["changed"] and key not in repr(
        [a.detail for a in audits])


def test_a_stale_etag_or_a_malformed_id_changes_nothing(client, api_trust):
    url = f"{api_trust.prefix}/notifications/settings"
    before = client.get(url, headers=bearer(api_trust.read_token)).get_json()
    assert put(client, api_trust, BODY, etag='"stale"').status_code == 412
    bad = put(client, api_trust, {**BODY, "notify_sms_template_id": "1234"})
    assert bad.status_code == 422 and "notify_sms_template_id" in bad.get_json()["error"]["fields"]
    assert client.get(url, headers=bearer(api_trust.read_token)).get_json() == before


def test_a_token_of_someone_who_is_not_a_lead_is_refused(app, client, api_trust):
    with tenant_context(api_trust.tenant, app=app):
        staff = create_coordinator(db.session, email="coordinator@api.example",
                                   display_name="Coordinator", role="coordinator")
        _, text = api_tokens.issue(db.session, api_trust.tenant, staff.id, "sync", "write")
        db.session.commit()
    url = f"{api_trust.prefix}/notifications/settings"
    assert client.get(url, headers=bearer(text)).status_code == 403
    response = client.put(url, json=BODY, headers={**bearer(text), "If-Match": '"x"'})
    assert response.status_code == 403
