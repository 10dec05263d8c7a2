"""Drop-in bookings: for subject access and erasure, those made with an applicant's e-mail
address or phone number; for retention, those of people who never applied, some months
after the drop-in (an applicant's bookings go with their applications). A booking stays,
anonymised, so the session's numbers do too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from tenants.applications.models import Applicant
from tenants.applications.subjects import ERASED, Subject, erased_email, register_domain
from tenants.infosessions.models import Booking, InfoSession
from tenants.retention.registry import register_anonymiser, register_category


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


def _anonymise(session: Session, bookings) -> dict[str, int]:
    count = 0
    for booking in bookings:
        booking.name, booking.phone, booking.access_needs = ERASED, None, None
        booking.email = erased_email("booking", booking.id)
        count += 1
    session.flush()
    return {"drop_in_bookings": count}


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return _anonymise(session, _bookings(session, subject))


def past_retention(session: Session, policy, today: dt.date) -> dict[str, int]:
    """Bookings of people who never applied, the trust's period after the drop-in."""
    cutoff = policy.cutoff("drop_in_bookings", today)
    if cutoff is None:
        return {}
    applied_emails = select(func.lower(Applicant.email)).where(Applicant.email.is_not(None))
    applied_phones = select(Applicant.phone).where(Applicant.phone.is_not(None))
    return _anonymise(session, session.scalars(
        select(Booking).join(InfoSession).where(
            InfoSession.on_date < cutoff, Booking.name != ERASED,
            or_(Booking.email.is_(None), func.lower(Booking.email).not_in(applied_emails)),
            or_(Booking.phone.is_(None), Booking.phone.not_in(applied_phones)))
        .order_by(Booking.id)))


register_domain("drop_ins", report=report, scrub=scrub, records=records)
register_category("drop_in_bookings", "Drop-in bookings",
                  "Months after the drop-in, for people who did not go on to apply", 6)
register_anonymiser("drop_in_bookings", past_retention)
