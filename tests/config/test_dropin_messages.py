"""A drop-in booking sends a confirmation with an .ics file, and a reminder 24 hours before
the session that is taken back if the booking is cancelled first."""

from __future__ import annotations

import base64
import datetime as dt
import re

from sqlalchemy import select

from peerpath.extensions import db
from tenants.cohorts.calendar import LONDON
from tenants.notifications.models import OutboxMessage
from tests.config.conftest import post_form
from tests.config.test_dropins import book_url, new_session


def outbox_for(in_trust, email: str) -> dict[str, OutboxMessage]:
    with in_trust():
        rows = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient_email == email)).all()
        return {row.template_key: row for row in rows}


def test_a_booking_queues_a_confirmation_with_ics_and_a_reminder_the_day_before(
        app, tenant, in_trust):
    session_id = new_session(in_trust, capacity=None)
    client = app.test_client()
    response = post_form(client, book_url(tenant, session_id), {
        "name": "Robin Example", "email": "robin@example.test"})
    assert response.status_code == 302
    messages = outbox_for(in_trust, "robin@example.test")
    confirmation, reminder = messages["dropin_booking_confirmation"], messages["dropin_reminder"]
    assert "Robin" in confirmation.body_text and "Wakerley Ward" in confirmation.body_text
    assert "/cancel/" in confirmation.body_text or "/booked/" in confirmation.body_text
    ics = base64.b64decode(confirmation.attachments[0]["content_b64"])
    assert b"BEGIN:VEVENT" in ics and b"Wakerley Ward" in ics and b"Robin" not in ics
    session_start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=10), dt.time(8),
                                        LONDON)
    assert reminder.next_attempt_at == session_start - dt.timedelta(hours=24)
    assert confirmation.next_attempt_at < reminder.next_attempt_at


def test_cancelling_a_booking_takes_back_its_reminder_but_not_the_confirmation(
        app, tenant, in_trust):
    session_id = new_session(in_trust, capacity=None)
    client = app.test_client()
    response = post_form(client, book_url(tenant, session_id), {
        "name": "Kim Example", "email": "kim@example.test"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    cancel_link = re.search(r'href="([^"]+/your-booking/cancel)"', page).group(1)
    post_form(client, cancel_link, {})
    messages = outbox_for(in_trust, "kim@example.test")
    assert messages["dropin_reminder"].status == "withdrawn"
    assert messages["dropin_booking_confirmation"].status != "withdrawn"
