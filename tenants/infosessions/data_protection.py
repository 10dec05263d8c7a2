"""Drop-in bookings made with an applicant's e-mail address or phone number, for subject
access and erasure (the booking stays, so the session's numbers do too)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.applications.subjects import ERASED, Subject, erased_email, register_domain
from tenants.infosessions.models import Booking


def _bookings(session: Session, subject: Subject):
    return session.scalars(select(Booking).where(Booking.id.in_(subject.booking_ids))
                           .order_by(Booking.id))


def report(session: Session, subject: Subject) -> list[dict]:
    return [{"session": b.info_session.title, "on": b.info_session.on_date, "name": b.name,
             "email": b.email, "phone": b.phone, "access_needs": b.access_needs,
             "attended": b.attended, "booked_at": b.created_at,
             "cancelled_at": b.cancelled_at} for b in _bookings(session, subject)]


def records(session: Session, subject: Subject) -> list[tuple[str, str]]:
    return [("info_session_booking", str(i)) for i in subject.booking_ids]


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    count = 0
    for booking in _bookings(session, subject):
        booking.name, booking.phone, booking.access_needs = ERASED, None, None
        booking.email = erased_email("booking", booking.id)
        count += 1
    session.flush()
    return {"drop_in_bookings": count}


register_domain("drop_ins", report=report, scrub=scrub, records=records)
