"""A phone-only applicant and a postal applicant each go from first contact to an offer,
and every message they are due lands on a channel that reaches them: texts through the
Notify stand-in (real forking workers) where the trust sends texts, printable letters
where it does not, and a phone call from the team when there is neither."""

from __future__ import annotations

import re

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.noemail.helpers import (
    book_drop_in,
    enter_eoi,
    messages_for,
    new_drop_in,
    take_to_an_offer,
)
from tests.notifications.conftest import applicant, statuses, wait_for
from tests.notifications.test_delivery import queue

DUE_ON_THE_WAY = {"eoi_acknowledgement", "interview_invitation", "interview_confirmation",
                  "place_offer"}
PHONE = "07700 900456"


def _texts_to(received, phone: str) -> list[dict]:
    digits = re.sub(r"\D", "", phone)
    return [r for r in received if re.sub(r"\D", "", r.get("phone_number") or "") == digits]


def test_a_phone_only_applicant_books_a_drop_in_applies_by_phone_and_is_offered_a_place_by_text(
        app, texting_trust, texting_lead, notify_server, worker):
    received, _ = notify_server
    client, _ = texting_lead
    page = book_drop_in(app.test_client(), texting_trust, new_drop_in(app, texting_trust),
                        name="Pat Phone", phone=PHONE)
    assert "We will send a text message to" in page
    # The first text also waits for the worker to start, on a busy machine.
    wait_for(lambda: _texts_to(received, PHONE), timeout=90)
    assert "drop-in place is booked" in _texts_to(received, PHONE)[0]["personalisation"]["body"]

    cohort = create_cohort(app, texting_trust, name="Phone intake")
    application_id = enter_eoi(client, texting_trust, cohort, name="Pat Phone", phone=PHONE,
                               texts_ok="yes", channel="phone")
    page = client.get(f"/trusts/{texting_trust.slug}/coordinator/cohorts/{cohort}/"
                      f"applications/{application_id}").get_data(as_text=True)
    assert re.search(r'id="reached-by">Text message<', page)
    listing = client.get(f"/trusts/{texting_trust.slug}/coordinator/cohorts/{cohort}/"
                         "applications").get_data(as_text=True)
    assert "Reached by </span>Text message" in listing
    take_to_an_offer(app, client, texting_trust, cohort, application_id)

    rows = messages_for(app, texting_trust, application_id)
    assert {r.template_key for r in rows} >= DUE_ON_THE_WAY
    assert {r.channel for r in rows} == {"sms"}, [(r.template_key, r.channel) for r in rows]
    due = [r for r in rows if r.template_key in DUE_ON_THE_WAY]
    wait_for(lambda: all(statuses(app, texting_trust)[r.id] == "sent" for r in due),
             timeout=60)
    texts = [t["personalisation"]["body"] for t in _texts_to(received, PHONE)]
    assert any("received your expression of interest" in t for t in texts)
    assert any("offered a training place" in t for t in texts)
    with tenant_context(texting_trust, app=app):
        assert all(db.session.get(OutboxMessage, r.id).provider == "notify" for r in due)


def test_a_postal_applicant_entered_from_a_paper_form_gets_every_message_as_a_letter(
        app, postal_trust, postal_lead, smtp_server, worker):
    client, _ = postal_lead
    base = f"/trusts/{postal_trust.slug}/coordinator"
    saved = post_form(client, base + "/letters/trust-address",
                      {"letter_address": "Peer Support Team\nGlenfield Hospital\nLE3 9QP"},
                      form_page=base + "/letters")
    assert saved.status_code == 302
    cohort = create_cohort(app, postal_trust, name="Paper intake")
    application_id = enter_eoi(client, postal_trust, cohort, name="Lee Letter",
                               postal_address="12 High Street\nLeicester\nLE1 1AA",
                               channel="paper")
    page = client.get(f"{base}/cohorts/{cohort}/applications/{application_id}")
    assert re.search(r'id="reached-by">Letter<', page.get_data(as_text=True))
    take_to_an_offer(app, client, postal_trust, cohort, application_id)

    rows = messages_for(app, postal_trust, application_id)
    assert {r.template_key for r in rows} >= DUE_ON_THE_WAY
    assert {r.channel for r in rows} == {"letter"}
    # The worker sends the trust's e-mails but never takes a letter.
    emailed = queue(app, postal_trust, recipient=applicant(77))
    wait_for(lambda: statuses(app, postal_trust)[emailed] == "sent", timeout=90)
    # Recording the interview took back its reminder, and booking took back the invitation's
    # reply-by reminder, before either was due: those are never printed.
    now = statuses(app, postal_trust)
    assert {r.template_key for r in rows if now[r.id] == "withdrawn"} == {
        "interview_reminder", "reply_by_reminder"}
    rows = [r for r in rows if now[r.id] != "withdrawn"]
    assert all(now[r.id] == "created" for r in rows)

    to_print = client.get(base + "/letters").get_data(as_text=True)
    # The offer's reply-by reminder is due the working day before its date, not now.
    reminder, = [r for r in rows if r.template_key == "reply_by_reminder"]
    due = [r for r in rows if r is not reminder]
    assert f'id="letter-{reminder.id}"' not in to_print  # the day before, not weeks ahead
    assert "Coming up" in to_print and f"/letters/{reminder.id}" in to_print
    for row in due:
        assert f'id="letter-{row.id}"' in to_print and "Lee Letter" in to_print
    for row in rows:
        letter = client.get(f"{base}/letters/{row.id}").get_data(as_text=True)
        assert "Glenfield Hospital" in letter and "LE1 1AA" in letter
        assert row.subject in letter
        assert "phone 01632 960001 and we will do it with you" in letter
        assert "lived_experience" not in letter and "Lived experience" not in letter
    for row in due:
        done = post_form(client, f"{base}/letters/{row.id}/done", {},
                         form_page=f"{base}/letters")
        assert done.status_code == 302 and "notice=posted" in done.headers["Location"]
    again = post_form(client, f"{base}/letters/{rows[0].id}/done", {},
                      form_page=f"{base}/letters")
    assert "notice=already" in again.headers["Location"]
    assert all(statuses(app, postal_trust)[r.id] == "sent" for r in due)
    assert statuses(app, postal_trust)[reminder.id] == "created"
    with tenant_context(postal_trust, app=app):
        posted = db.session.get(OutboxMessage, rows[0].id)
        assert posted.provider == "post" and posted.attempts == 1
        audited = db.session.scalars(db.select(AuditEvent.record_id).where(
            AuditEvent.action == "letter.posted")).all()
        assert sorted(audited) == sorted(str(r.id) for r in due)


def test_a_phone_only_drop_in_booking_at_a_trust_without_texts_is_saved_and_called(
        app, postal_trust, postal_lead):
    client, _ = postal_lead
    session_id = new_drop_in(app, postal_trust)
    page = book_drop_in(app.test_client(), postal_trust, session_id, name="Cal Caller",
                        phone="0116 496 0000")
    assert "Someone from the team will phone you on 01164960000" in page
    bookings = client.get(f"/trusts/{postal_trust.slug}/coordinator/settings/drop-ins/"
                          f"{session_id}").get_data(as_text=True)
    assert "Cal Caller" in bookings
    calls = client.get(f"/trusts/{postal_trust.slug}/coordinator/letters")
    text = calls.get_data(as_text=True)
    assert calls.status_code == 200 and "01164960000" in text
    with tenant_context(postal_trust, app=app):
        call = db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.recipient_phone == "01164960000",
            OutboxMessage.template_key == "dropin_booking_confirmation")).one()
        assert call.channel == "phone" and call.status == "created"
    sheet = client.get(f"/trusts/{postal_trust.slug}/coordinator/letters/{call.id}")
    assert "Phone 01164960000 and read them the message" in sheet.get_data(as_text=True)
