"""The coordinator's message and template pages, the status API and Notify's receipts."""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens import service as api_tokens
from tenants.coordinators.service import create_coordinator
from tenants.notifications import channels, service
from tenants.notifications.defaults import MESSAGES
from tenants.notifications.models import MessageTemplate, OutboxMessage
from tests.test_coordinator_sign_in import LEAD_SECRET, csrf_from, sign_in


@pytest.fixture
def signed_in(app, client, make_trust):
    tenant = make_trust()
    with tenant_context(tenant, app=app):
        lead = create_coordinator(db.session, email="lead@trust.example", display_name="Lead",
                                  role="lead", password="correct horse battery",
                                  totp_secret=LEAD_SECRET)
        db.session.commit()
        lead_id = lead.id
    sign_in(client, tenant, "lead@trust.example", "correct horse battery")
    return tenant, lead_id


def add_message(app, tenant, status="permanent_failure") -> int:
    with tenant_context(tenant, app=app):
        row = service.queue_message(db.session, "application_update",
                                    {"email": "someone@example.test"},
                                    {"sign_in_link": "https://peerpath.example/s"},
                                    related=("application", 42))
        row.status, row.last_error = status, "SMTP 550"
        db.session.commit()
        return row.id


def test_every_new_trust_gets_every_default_template_in_both_versions(app, make_trust):
    tenant = make_trust()
    with tenant_context(tenant, app=app):
        keys = {(t.key, t.variant) for t in db.session.query(MessageTemplate)}
    assert keys == {(k, v) for k in MESSAGES for v in ("standard", "easy_read")}


def test_the_messages_page_filters_by_status_and_retries_a_failed_message(
        app, client, signed_in):
    tenant, _ = signed_in
    failed = add_message(app, tenant)
    add_message(app, tenant, status="sent")
    page = client.get(f"/trusts/{tenant.slug}/coordinator/messages?status=permanent_failure")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 message" in body and "SMTP 550" in body
    response = client.post(f"/trusts/{tenant.slug}/coordinator/messages/{failed}/retry",
                           data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    with tenant_context(tenant, app=app):
        assert db.session.get(OutboxMessage, failed).status == "created"
    odd = client.get(f"/trusts/{tenant.slug}/coordinator/messages?status=nonsense&page=-4")
    assert odd.status_code == 200


def test_an_unknown_placeholder_is_refused_and_nothing_typed_is_lost(app, client, signed_in):
    tenant, _ = signed_in
    url = f"/trusts/{tenant.slug}/coordinator/settings/templates/place_offer/standard"
    page = client.get(url)
    assert page.status_code == 200 and "((respond_by))" in page.get_data(as_text=True)
    typed = "Hello ((first_name)), your diagnosis ((diagnosis)) is noted."
    response = client.post(url, data={"csrf_token": csrf_from(page), "subject": "Offer",
                                      "body_text": typed, "action": "save"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "((diagnosis))" in body and "Hello ((first_name)), your diagnosis" in body
    assert "<title>Error: " in body
    with tenant_context(tenant, app=app):
        saved = db.session.query(MessageTemplate).filter_by(key="place_offer",
                                                            variant="standard").one()
        assert "diagnosis" not in saved.body_text


def test_a_coordinator_previews_then_saves_a_template(app, client, signed_in):
    tenant, _ = signed_in
    url = f"/trusts/{tenant.slug}/coordinator/settings/templates/follow_up/easy_read"
    token = csrf_from(client.get(url))
    fields = {"csrf_token": token, "subject": "How are you?",
              "body_text": "Hi ((first_name)). Tell us: ((sign_in_link))"}
    preview = client.post(url, data={**fields, "action": "preview"})
    assert "Hi Sam. Tell us: " in preview.get_data(as_text=True)
    assert client.post(url, data={**fields, "action": "save"}).status_code == 302
    with tenant_context(tenant, app=app):
        saved = db.session.query(MessageTemplate).filter_by(key="follow_up",
                                                            variant="easy_read").one()
        assert saved.subject == "How are you?" and saved.updated_by.endswith(":1")


def test_a_coordinator_sends_a_test_message_to_themself(app, client, signed_in):
    tenant, lead_id = signed_in
    page = client.get(f"/trusts/{tenant.slug}/coordinator/settings/templates")
    response = client.post(f"/trusts/{tenant.slug}/coordinator/settings/templates/test-message",
                           data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    with tenant_context(tenant, app=app):
        [row] = db.session.query(OutboxMessage).all()
    assert row.recipient_email == "lead@trust.example" and row.template_key == "test_message"
    assert "sent by Lead" in row.body_text and row.related_id == str(lead_id)


def test_notify_delivery_receipts_need_the_trusts_bearer_token(app, client, make_trust):
    tenant = make_trust()
    with tenant_context(tenant, app=app):
        token = channels.issue_callback_token(db.session)
        row_id = add_message(app, tenant, status="sent")
        db.session.query(OutboxMessage).filter_by(id=row_id).update(
            {"provider": "notify", "provider_ref": "n-1"})
        db.session.commit()
    url = f"/api/v1/trusts/{tenant.slug}/notifications/delivery-receipts"
    receipt = {"id": "n-1", "reference": str(row_id), "status": "delivered"}
    assert client.post(url, json=receipt).status_code == 401
    assert client.post(url, json=receipt, headers={"Authorization": "Bearer wrong"}
                       ).status_code == 401
    auth = {"Authorization": f"Bearer {token}"}
    assert client.post(url, data="{", headers=auth, content_type="application/json"
                       ).status_code == 400
    assert client.post(url, json={**receipt, "id": "other"}, headers=auth).status_code == 404
    assert client.post(url, json=receipt, headers=auth).status_code == 204
    with tenant_context(tenant, app=app):
        row = db.session.get(OutboxMessage, row_id)
        assert row.status == "delivered" and row.delivered_at is not None


def test_the_status_api_lists_an_applications_messages(app, client, make_trust):
    tenant = make_trust()
    with tenant_context(tenant, app=app):
        lead = create_coordinator(db.session, email="api@trust.example", display_name="API",
                                  role="lead")
        _, token = api_tokens.issue(db.session, tenant, lead.id, "status", "read")
        db.session.commit()
    row_id = add_message(app, tenant, status="sent")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get(f"/api/v1/trusts/{tenant.slug}/notifications/messages"
                        "?related_type=application&related_id=42", headers=headers).get_json()
    assert [m["status"] for m in listed["items"]] == ["sent"] and listed["next_cursor"] is None
    one = client.get(f"/api/v1/trusts/{tenant.slug}/notifications/messages/{row_id}",
                     headers=headers)
    assert one.get_json()["template"] == "application_update"
    bad = client.get(f"/api/v1/trusts/{tenant.slug}/notifications/messages?status=x",
                     headers=headers)
    assert bad.status_code == 422


def test_the_development_mailbox_shows_what_would_have_been_sent(app, client, tmp_path,
                                                                 make_trust):
    from tenants.notifications.providers import DevMailboxSender

    tenant = make_trust()
    app.config["DEV_MAILBOX_DIR"] = str(tmp_path)
    try:
        with tenant_context(tenant, app=app):
            row = service.queue_message(db.session, "test_message",
                                        {"email": "me@example.test"}, {"sent_by": "Lead"})
            db.session.commit()
            DevMailboxSender(str(tmp_path), tenant, "no-reply@peerpath.example").send(row)
        body = client.get("/dev/mailbox").get_data(as_text=True)
    finally:
        app.config.pop("DEV_MAILBOX_DIR")
    assert "Email to me@example.test" in body and "Test message from PeerPath" in body
