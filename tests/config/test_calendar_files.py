"""The calendar files people download or are sent: the cohort's key dates and a drop-in
booking (the interview's are in tests/workspace/test_interview_calendar.py). Each parses
with icalendar, carries the Europe/London VTIMEZONE, and keeps one UID per event across
downloads, updates and the e-mail; cancelling sends METHOD:CANCEL with the same UID."""

from __future__ import annotations

import base64
import re

from icalendar import Calendar
from sqlalchemy import select

from peerpath.extensions import db
from tenants.cohorts import service
from tenants.infosessions.models import Booking
from tenants.notifications.models import OutboxMessage
from tests.config.conftest import post_form
from tests.config.test_calendar import cohort_data
from tests.config.test_dropins import book_url, new_session


def parsed(body: bytes | str) -> Calendar:
    cal = Calendar.from_ical(body)
    [zone] = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"
    return cal


def uids(cal: Calendar) -> dict[str, str]:
    return {str(e["summary"]): str(e["uid"]) for e in cal.walk("VEVENT")}


def attached(message: OutboxMessage) -> Calendar:
    [file] = message.attachments
    assert file["content_type"] == "text/calendar"
    return parsed(base64.b64decode(file["content_b64"]))


def test_the_cohort_calendar_keeps_each_key_dates_uid_across_downloads_and_edits(
        lead, tenant, in_trust):
    with in_trust():
        course = service.save_course(db.session, {
            "name": "Ics weeks", "length_weeks": 12, "training_days": 3, "format": "mixed",
            "locations": [], "leads_to": None, "description": None})
        cohort = service.save_cohort(db.session, cohort_data(course.id, name="Ics cohort"))
        db.session.commit()
    base = f"/trusts/{tenant.slug}/coordinator/settings/cohorts/{cohort.id}"

    def add_day(day: str, place: str):
        response = post_form(lead, base + "/days", {
            "on_date-day": day, "on_date-month": "5", "on_date-year": "2027",
            "starts_at": "09:30", "ends_at": "16:00", "place": place, "kind": "classroom"},
            page=base)
        assert response.status_code == 302

    add_day("10", "Room 9")
    first = parsed(lead.get(base + "/calendar.ics").data)
    again = parsed(lead.get(base + "/calendar.ics").data)
    assert uids(first) == uids(again) and len(set(uids(first).values())) == len(uids(first))
    add_day("4", "Room 3")  # an earlier day: the others keep their UIDs
    updated = uids(parsed(lead.get(base + "/calendar.ics").data))
    assert len(updated) == len(uids(first)) + 1
    assert all(updated[summary] == uid for summary, uid in uids(first).items()
               if "Training day" not in summary)
    assert uids(first)["Training day 1 (classroom): Ics cohort"] == \
        updated["Training day 2 (classroom): Ics cohort"]  # the 10 May day, now second
    day = next(e for e in first.walk("VEVENT") if str(e.get("location")) == "Room 9")
    assert day["dtstart"].params["TZID"] == "Europe/London"


def test_a_drop_in_booking_has_one_uid_in_the_email_the_download_and_the_cancel(
        app, tenant, in_trust):
    session_id = new_session(in_trust)
    client = app.test_client()
    response = post_form(client, book_url(tenant, session_id), {
        "name": "Ira Example", "email": "ira@example.test"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    ics_link = re.search(r'href="([^"]+session\.ics)"', page).group(1)
    downloaded = [uids(parsed(client.get(ics_link).data)) for _ in range(2)]
    assert downloaded[0] == downloaded[1]
    [uid] = downloaded[0].values()
    with in_trust():
        booking = db.session.scalars(select(Booking).where(
            Booking.info_session_id == session_id)).one()
        sent = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.related_type == "info_session_booking",
            OutboxMessage.related_id == str(booking.id),
            OutboxMessage.template_key == "dropin_booking_confirmation")).one()
        assert list(uids(attached(sent)).values()) == [uid]
    cancel_link = re.search(r'href="([^"]+/your-booking/cancel)"', page).group(1)
    post_form(client, cancel_link, {})
    with in_trust():
        cancelled = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.related_id == str(booking.id),
            OutboxMessage.template_key == "dropin_booking_cancelled")).one()
        cal = attached(cancelled)
        assert str(cal["method"]) == "CANCEL"
        [event] = cal.walk("VEVENT")
        assert str(event["uid"]) == uid and str(event["status"]) == "CANCELLED"
        assert "cancelled" in cancelled.subject.lower()
