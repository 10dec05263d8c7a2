"""Drop-in sessions: listing, editing, booking a place, cancelling, marking attendance.

Booking locks the session's row, so two people taking the last place at once cannot both
get it; the unique indexes on (session, e-mail) and (session, phone) stop one person
booking twice even when two requests race. Cancel links carry a signed booking id, never
personal data.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from peerpath.refusal import Refused
from tenants.audit.service import record
from tenants.cohorts.records import store
from tenants.infosessions.messages import queue_cancellation, withdraw_reminder
from tenants.infosessions.models import Booking, InfoSession
from tenants.infosessions.schemas import normalise_phone


def upcoming(session, today: dt.date, counted: bool = False) -> list[InfoSession]:
    """The sessions still to come; `counted` loads each one's live bookings (`booked`) in
    the same statement, for `places_left_of`."""
    query = select(InfoSession).where(InfoSession.on_date >= today,
                                      InfoSession.cancelled_at.is_(None))
    if counted:
        query = query.options(undefer(InfoSession.booked))
    return list(session.scalars(query.order_by(InfoSession.on_date, InfoSession.starts_at)))


def all_sessions(session) -> list[InfoSession]:
    """Every session, newest first, with its live bookings counted (`booked`)."""
    return list(session.scalars(select(InfoSession).options(undefer(InfoSession.booked))
                                .order_by(InfoSession.on_date.desc(), InfoSession.starts_at)))


def live_bookings(session, info_session_id: int) -> int:
    return session.scalar(select(func.count(Booking.id)).where(
        Booking.info_session_id == info_session_id, Booking.cancelled_at.is_(None))) or 0


def places_left(session, info_session: InfoSession) -> int | None:
    if info_session.capacity is None:
        return None
    return max(info_session.capacity - live_bookings(session, info_session.id), 0)


def places_left_of(info_session: InfoSession) -> int | None:
    """places_left for a session loaded with `upcoming(..., counted=True)`: no query."""
    capacity = info_session.capacity
    return None if capacity is None else max(capacity - info_session.booked, 0)


def save_session(session, data: dict, info_session: InfoSession | None = None) -> InfoSession:
    if info_session is not None:
        session.refresh(info_session, with_for_update=True)
        booked = live_bookings(session, info_session.id)
        if data.get("capacity") is not None and data["capacity"] < booked:
            raise Refused({"capacity": f"{booked} people have booked, so places cannot be "
                                       f"fewer than {booked}"})
    return store(session, info_session or InfoSession(), data, "info_session.saved",
                 "info_session")


def book(session, info_session_id: int, data: dict, today: dt.date) -> Booking:
    """A place for one person, or Refused saying why (full, past, already booked)."""
    info_session = session.scalars(select(InfoSession).where(
        InfoSession.id == info_session_id).with_for_update()).one_or_none()
    if info_session is None or info_session.cancelled_at or info_session.on_date < today:
        raise Refused({"_form": "This session is no longer taking bookings"})
    if info_session.capacity is not None and \
            live_bookings(session, info_session.id) >= info_session.capacity:
        raise Refused({"_form": "This session is full. You can still come along, or choose "
                                "another session"})
    booking = Booking(info_session_id=info_session.id, name=data["name"].strip(),
                      email=(data.get("email") or "").strip().lower() or None,
                      phone=normalise_phone(data.get("phone")),
                      access_needs=data.get("access_needs"))
    try:
        with session.begin_nested():
            session.add(booking)
    except IntegrityError as exc:
        raise Refused({"email": "You already have a place at this session"}) from exc
    record("info_session.booked", "info_session_booking", booking.id, session=session)
    return booking


def _serializer(trust_slug: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"],
                             salt=f"peerpath.booking-cancel.{trust_slug}")


def cancel_token(trust_slug: str, booking: Booking) -> str:
    return _serializer(trust_slug).dumps(booking.id)


def booking_for_token(session, trust_slug: str, token: str) -> Booking | None:
    try:
        booking_id = _serializer(trust_slug).loads(token)
    except BadSignature:
        return None
    if not isinstance(booking_id, int):
        return None
    return session.get(Booking, booking_id)


def cancel(session, booking: Booking) -> None:
    if booking.cancelled_at is None:
        booking.cancelled_at = func.now()
        session.flush()
        withdraw_reminder(session, booking)
        queue_cancellation(session, session.info["tenant"], booking)
        record("info_session.booking_cancelled", "info_session_booking", booking.id,
               session=session)


def set_attendance(session, booking: Booking, attended: bool | None) -> None:
    booking.attended = attended
    session.flush()
    record("info_session.attendance_marked", "info_session_booking", booking.id,
           session=session)


def came_to_a_drop_in(session, *, email: str | None, phone: str | None) -> bool:
    """Whether someone with this e-mail (any case) or phone number is marked as having come
    to one of the trust's drop-ins (a booking that was kept, not cancelled)."""
    same = [func.lower(Booking.email) == email.lower()] if email else []
    if normalise_phone(phone):
        same.append(Booking.phone == normalise_phone(phone))
    if not same:
        return False
    return session.scalar(select(Booking.id).where(
        Booking.attended.is_(True), Booking.cancelled_at.is_(None), or_(*same)).limit(1)) \
        is not None
