"""Drop-in sessions: booking, capacity, double booking, signed cancel links, attendance."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.refusal import Refused
from tenants.audit.models import AuditEvent
from tenants.infosessions import service
from tenants.infosessions.models import Booking
from tests.config.conftest import post_form
from tests.workspace.helpers import count_statements

SOON = dt.date.today() + dt.timedelta(days=10)


def new_session(in_trust, **changes) -> int:
    with in_trust():
        saved = service.save_session(db.session, {
            "title": "Drop-in", "on_date": SOON, "starts_at": dt.time(8),
            "ends_at": dt.time(12), "place": "Wakerley Ward", "online_url": None,
            "capacity": 2, "access_notes": "Step-free entrance", **changes})
        db.session.commit()
        return saved.id


def book_url(tenant, session_id: int) -> str:
    return f"/trusts/{tenant.slug}/drop-ins/{session_id}/book"


def test_a_person_books_gets_an_ics_and_cancels_with_the_signed_link(app, tenant, in_trust):
    session_id = new_session(in_trust)
    client = app.test_client()
    response = post_form(client, book_url(tenant, session_id), {
        "name": "Sam Example", "email": "Sam@Example.test", "access_needs": "A quiet space"})
    assert response.status_code == 302
    confirmation = client.get(response.headers["Location"])
    page = confirmation.get_data(as_text=True)
    assert "Your place is booked" in page and "Sam@Example.test" not in response.headers[
        "Location"]
    ics_link = re.search(r'href="([^"]+session\.ics)"', page).group(1)
    ics = client.get(ics_link)
    assert ics.mimetype == "text/calendar" and b"Wakerley Ward" in ics.data
    cancel_link = re.search(r'href="([^"]+/your-booking/cancel)"', page).group(1)
    assert "Cancel your place" in client.get(cancel_link).get_data(as_text=True)
    done = post_form(client, cancel_link, {})
    assert "Your place is cancelled" in done.get_data(as_text=True)
    with in_trust():
        booking = db.session.scalars(select(Booking).where(
            Booking.info_session_id == session_id)).one()
        assert booking.cancelled_at is not None and booking.email == "sam@example.test"
        assert service.live_bookings(db.session, session_id) == 0


def test_a_tampered_or_foreign_cancel_link_finds_nothing(app, tenant, in_trust, make_trust):
    session_id = new_session(in_trust)
    with in_trust():
        booking = service.book(db.session, session_id, {"name": "A", "email": "a@b.test"},
                               dt.date.today())
        db.session.commit()
        token = service.cancel_token(tenant.slug, booking)
    client = app.test_client()
    assert client.get(f"/trusts/{tenant.slug}/drop-ins/cancel/{token}x").status_code == 404
    other = make_trust()
    assert client.get(f"/trusts/{other.slug}/drop-ins/cancel/{token}").status_code == 404


def test_a_full_session_and_a_second_booking_by_the_same_person_are_refused(in_trust):
    session_id = new_session(in_trust, capacity=2)
    with in_trust():
        service.book(db.session, session_id, {"name": "A", "email": "a@x.test"}, SOON)
        with pytest.raises(Refused) as twice:
            service.book(db.session, session_id, {"name": "A", "email": "A@X.test"}, SOON)
        assert "already have a place" in twice.value.problems["email"]
        service.book(db.session, session_id, {"name": "B", "phone": "07700 900982"}, SOON)
        with pytest.raises(Refused, match="full"):
            service.book(db.session, session_id, {"name": "C", "email": "c@x.test"}, SOON)
        db.session.commit()


def test_the_booking_form_needs_a_way_to_reach_the_person_and_keeps_what_was_typed(
        app, tenant, in_trust):
    session_id = new_session(in_trust)
    client = app.test_client()
    response = post_form(client, book_url(tenant, session_id),
                         {"name": "Typed Name", "phone": "12", "access_needs": "Lift"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter a phone number" in page and 'value="Typed Name"' in page and "Lift" in page
    response = post_form(client, book_url(tenant, session_id), {"name": "Typed Name"})
    assert "Enter an email address or a phone number" in response.get_data(as_text=True)


def test_concurrent_bookings_never_exceed_capacity_or_double_book(app, tenant, in_trust):
    session_id = new_session(in_trust, capacity=3)
    people = [{"name": f"P{i}", "email": f"p{i % 4}@race.test"} for i in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(people))

    def attempt(person):
        with app.app_context(), in_trust():
            barrier.wait()
            try:
                service.book(db.session, session_id, person, SOON)
                db.session.commit()
                outcomes.append("booked")
            except Refused:
                db.session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 3 and outcomes.count("refused") == 5
    with in_trust():
        emails = db.session.scalars(select(Booking.email).where(
            Booking.info_session_id == session_id)).all()
    assert len(emails) == 3 and len(set(emails)) == 3


def test_coordinators_see_bookings_mark_attendance_and_each_view_is_audited(
        lead, reader, tenant, in_trust):
    session_id = new_session(in_trust)
    with in_trust():
        booking = service.book(db.session, session_id, {
            "name": "Robin Example", "email": "robin@x.test", "access_needs": "BSL"}, SOON)
        db.session.commit()
    url = f"/trusts/{tenant.slug}/coordinator/settings/drop-ins/{session_id}"
    page = reader.get(url).get_data(as_text=True)
    assert "Robin Example" in page and "BSL" in page
    response = post_form(lead, f"{url}/bookings/{booking.id}/attendance", {"attended": "yes"},
                         page=url)
    assert response.status_code == 302
    assert reader.post(f"{url}/bookings/{booking.id}/attendance").status_code in (400, 403)
    with in_trust():
        assert db.session.get(Booking, booking.id).attended is True
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_id.in_([str(session_id), str(booking.id)]))).all()
    assert "info_session.bookings_viewed" in actions
    assert "info_session.attendance_marked" in actions


def test_a_lead_adds_a_session_and_bad_input_is_explained(lead, tenant):
    url = f"/trusts/{tenant.slug}/coordinator/settings/drop-ins/new"
    response = post_form(lead, url, {"title": "Online drop-in", "on_date-day": "1",
                                     "on_date-month": "13", "on_date-year": "2030",
                                     "starts_at": "25:00", "ends_at": "10:00",
                                     "online_url": "http://x", "capacity": "-1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("must be a real date", "24-hour clock", "https://", "whole number"):
        assert message in page
    response = post_form(lead, url, {"title": "Online drop-in", "on_date-day": "1",
                                     "on_date-month": "12", "on_date-year": "2030",
                                     "starts_at": "18:00", "ends_at": "19:00",
                                     "online_url": "https://meet.example/abc"})
    assert response.status_code == 302


def test_the_settings_pages_list_every_area_and_the_sessions(reader, tenant, in_trust):
    new_session(in_trust, title="Listed drop-in")
    base = f"/trusts/{tenant.slug}/coordinator/settings"
    index = reader.get(base + "/").get_data(as_text=True)
    for area in ("Questions and eligibility rules", "Courses", "Cohorts and calendars",
                 "Drop-in information sessions"):
        assert area in index
    listed = reader.get(base + "/drop-ins/")
    assert listed.status_code == 200 and "Listed drop-in" in listed.get_data(as_text=True)
    assert reader.get(base + "/courses").status_code == 200


def test_the_drop_ins_list_counts_bookings_in_a_constant_number_of_queries(
        app, reader, tenant, in_trust):
    url = f"/trusts/{tenant.slug}/coordinator/settings/drop-ins/"
    first = new_session(in_trust, title="Counted drop-in", capacity=5)
    with in_trust():
        service.book(db.session, first, {"name": "Sam Visitor", "email": "sam@visit.example"},
                     dt.date.today())
        db.session.commit()
    with count_statements(app) as few:
        page = reader.get(url).get_data(as_text=True)
    assert re.search(r"Counted drop-in.*?1 booked of 5 places", page, re.S)
    for n in range(4):
        new_session(in_trust, title=f"More drop-in {n}")
    with count_statements(app) as many:
        assert reader.get(url).status_code == 200
    assert len(many) == len(few)
