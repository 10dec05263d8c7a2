"""A lead chooses the trust's providers on a settings page; messages then go through them."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tenants.notifications import keys, service
from tenants.notifications.models import ChannelSettings, OutboxMessage
from tests.dp_support import onboard_with_staff, signed_in_client
from tests.notifications.conftest import notify_api_key, statuses, wait_for
from tests.notifications.test_pages_and_api import add_message
from tests.test_coordinator_sign_in import csrf_from

EMAIL_TEMPLATE = "0d8a1e3c-5b7f-4c2a-9e61-3f0b2a7c9d14"
SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
PAGE = "/trusts/{slug}/coordinator/settings/notifications"


def page_url(tenant) -> str:
    return PAGE.format(slug=tenant.slug)


def form(**changes) -> dict:
    return {"email_provider": "smtp", "sms_provider": "none", "notify_api_key": "",
            "notify_email_template_id": "", "notify_sms_template_id": "",
            "quiet_hours_start": "00:00", "quiet_hours_end": "00:00", "sms_fallback": "yes",
            **changes}


def save(client, tenant, **changes):
    token = csrf_from(client.get(page_url(tenant)))
    return client.post(page_url(tenant), data={"csrf_token": token, **form(**changes)})


def saved_settings(app, tenant) -> ChannelSettings:
    with tenant_context(tenant, app=app):
        settings = db.session.get(ChannelSettings, 1)
        db.session.expunge(settings)
        return settings


def audit_details(app, tenant) -> list[tuple[str, dict]]:
    with tenant_context(tenant, app=app):
        return [(e.action, e.detail) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.startswith("notifications.")))]


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "prov")


@pytest.fixture(scope="module")
def lead(app, trust):
    return signed_in_client(app, trust, "lead")


def test_the_settings_index_links_a_lead_to_the_providers_page(trust, lead):
    index = lead.get(f"/trusts/{trust.slug}/coordinator/settings/").get_data(as_text=True)
    assert f'href="{page_url(trust)}"' in index
    page = lead.get(page_url(trust))
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Email and text message providers" in body
    assert 'type="password"' in body and 'value="21:00"' in body


COMBINATIONS = [("smtp", "none"), ("smtp", "notify"), ("notify", "none"), ("notify", "notify")]


@pytest.mark.parametrize(("email_provider", "sms_provider"), COMBINATIONS)
def test_messages_go_through_the_providers_the_lead_chose(
        app, worker, smtp_server, notify_server, email_provider, sms_provider):
    handler, _ = smtp_server
    received, _ = notify_server
    tenant = onboard_with_staff(app, "combo")
    client = signed_in_client(app, tenant, "lead")
    response = save(client, tenant, email_provider=email_provider, sms_provider=sms_provider,
                    notify_api_key=notify_api_key(), notify_email_template_id=EMAIL_TEMPLATE,
                    notify_sms_template_id=SMS_TEMPLATE)
    assert response.status_code == 302
    settings = saved_settings(app, tenant)
    assert (settings.email_provider, settings.sms_provider) == (email_provider, sms_provider)

    address, phone = f"applicant@{tenant.slug}.test", f"0770090{abs(hash(tenant.slug)) % 10**4:04d}"
    with tenant_context(tenant, app=app):
        personalisation = {"reference": "PSW-1", "cohort_name": "Spring cohort",
                           "sign_in_link": "https://peerpath.example/sign-in"}
        service.queue_message(db.session, "eoi_acknowledgement",
                              {"email": address, "name": "Robin"}, personalisation)
        service.queue_message(db.session, "eoi_acknowledgement",
                              {"email": "texter@" + address.split("@")[1], "phone": phone,
                               "sms_ok": True, "preferred_channel": "sms"}, personalisation)
        db.session.commit()
    wait_for(lambda: sorted(statuses(app, tenant).values()) == ["sent", "sent"])

    by_notify = [r for r in received if tenant.slug in str(r.get("email_address"))
                 or r.get("phone_number") == phone]
    by_smtp = [m["To"] for m in handler.for_trust(tenant.slug)]
    expect_notify_emails = 1 + (sms_provider == "none") if email_provider == "notify" else 0
    notify_emails = [r for r in by_notify if r["path"] == "/v2/notifications/email"]
    assert len(notify_emails) == expect_notify_emails
    assert all(r["template_id"] == EMAIL_TEMPLATE for r in notify_emails)
    assert len(by_smtp) == (0 if email_provider == "notify" else 1 + (sms_provider == "none"))
    texts = [r for r in by_notify if r["path"] == "/v2/notifications/sms"]
    assert [(r["phone_number"], r["template_id"]) for r in texts] == \
        ([(phone, SMS_TEMPLATE)] if sms_provider == "notify" else [])


@pytest.mark.parametrize("role", ["coordinator", "panel", "read_only"])
def test_only_a_lead_may_open_or_change_the_providers(app, trust, role):
    client = signed_in_client(app, trust, role)
    token = csrf_from(client.get(f"/trusts/{trust.slug}/coordinator/sign-in"))
    assert client.get(page_url(trust)).status_code == 403
    assert client.post(page_url(trust), data={"csrf_token": token, **form(
        email_provider="notify")}).status_code == 403
    assert client.post(page_url(trust) + "/callback-token",
                       data={"csrf_token": token}).status_code == 403
    assert f'href="{page_url(trust)}"' not in client.get(
        f"/trusts/{trust.slug}/coordinator/settings/").get_data(as_text=True)
    assert saved_settings(app, trust).email_provider == "smtp"


def test_a_change_without_the_csrf_token_is_refused(app, trust, lead):
    response = lead.post(page_url(trust), data=form(quiet_hours_start="19:00"))
    assert response.status_code == 400
    assert saved_settings(app, trust).quiet_hours_start.hour == 21


def test_notify_without_a_key_shows_the_error_summary_and_keeps_what_was_typed(
        app, trust, lead):
    response = save(lead, trust, email_provider="notify", notify_email_template_id=EMAIL_TEMPLATE,
                    quiet_hours_start="22:30")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "<title>Error: " in body and 'href="#notify_api_key"' in body
    assert "Enter your GOV.UK Notify API key" in body
    assert f'value="{EMAIL_TEMPLATE}"' in body and 'value="22:30"' in body
    assert re.search(r'value="notify"[^>]*checked', body)
    assert saved_settings(app, trust).email_provider == "smtp"


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("notify_api_key", "not-a-real-key", "Enter the whole API key"),
    ("notify_email_template_id", "template-one", "Enter the email template ID"),
    ("notify_sms_template_id", "1234", "Enter the text message template ID"),
    ("quiet_hours_end", "8am", "Enter when quiet hours end"),
])
def test_malformed_details_are_refused_with_a_message_by_the_field(
        app, trust, lead, field, typed, message):
    typed_in = {"email_provider": "notify", "sms_provider": "notify",
                "notify_api_key": notify_api_key(), "notify_email_template_id": EMAIL_TEMPLATE,
                "notify_sms_template_id": SMS_TEMPLATE, field: typed}
    response = save(lead, trust, **typed_in)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body and message in body
    assert (typed in body) == (field != "notify_api_key")
    for kept in ("notify_email_template_id", "notify_sms_template_id", "quiet_hours_end"):
        assert f'value="{form(**typed_in)[kept]}"' in body
    assert saved_settings(app, trust).notify_api_key_sealed is None


def test_the_key_is_stored_sealed_and_never_shown_audited_or_logged(app, trust, lead, caplog):
    caplog.set_level(logging.DEBUG)
    key = notify_api_key()
    response = save(lead, trust, sms_provider="notify", notify_api_key=key,
                    notify_sms_template_id=SMS_TEMPLATE.upper())
    assert response.status_code == 302
    settings = saved_settings(app, trust)
    assert settings.notify_sms_template_id == SMS_TEMPLATE
    assert key not in settings.notify_api_key_sealed
    with app.app_context():
        assert keys.unseal(settings.notify_api_key_sealed) == key
    page = lead.get(page_url(trust)).get_data(as_text=True)
    assert key not in page and '<strong id="key-status">set</strong>' in page
    # A blank key field keeps the key, and a key alone (no provider change) is audited by name.
    assert save(lead, trust, sms_provider="notify", notify_sms_template_id=SMS_TEMPLATE
                ).status_code == 302
    assert saved_settings(app, trust).notify_api_key_sealed == settings.notify_api_key_sealed
    details = audit_details(app, trust)
    assert ("notifications.settings_changed", {"changed": [
        "notify_sms_template_id", "quiet_hours_end", "quiet_hours_start", "sms_provider",
        "notify_api_key"], "email_provider": "smtp", "sms_provider": "notify"}) in details
    assert key not in repr(details)
    logged = caplog.text + repr([r.__dict__ for r in caplog.records])
    assert key not in logged and key.rsplit("-", 5)[-1] not in logged


def test_a_new_callback_token_is_shown_once_and_replaces_the_old_one(app, client, trust, lead):
    url = page_url(trust) + "/callback-token"
    receipt_url = f"/api/v1/trusts/{trust.slug}/notifications/delivery-receipts"

    def make_token() -> str:
        response = lead.post(url, data={"csrf_token": csrf_from(lead.get(page_url(trust)))})
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and "Copy the callback token now" in body
        assert f"http://localhost{receipt_url}" in body
        return re.search(r'value="(ppcb_[^"]+)"', body).group(1)

    def receipt(token: str, row_id: int) -> int:
        return client.post(receipt_url, headers={"Authorization": f"Bearer {token}"}, json={
            "id": f"n-{row_id}", "reference": str(row_id), "status": "delivered"}).status_code

    rows = []
    for _ in range(2):
        row_id = add_message(app, trust, status="sent")
        with tenant_context(trust, app=app):
            db.session.get(OutboxMessage, row_id).provider = "notify"
            db.session.get(OutboxMessage, row_id).provider_ref = f"n-{row_id}"
            db.session.commit()
        rows.append(row_id)
    first = make_token()
    assert first not in lead.get(page_url(trust)).get_data(as_text=True)
    assert receipt(first, rows[0]) == 204
    second = make_token()
    assert second != first and receipt(first, rows[1]) == 401
    assert receipt(second, rows[1]) == 204
    assert statuses(app, trust)[rows[1]] == "delivered"
    with tenant_context(trust, app=app):
        assert db.session.get(ChannelSettings, 1).callback_token_hash == keys.token_hash(second)
    made = [d for a, d in audit_details(app, trust) if a == "notifications.callback_token_made"]
    assert made == [{}, {}]
