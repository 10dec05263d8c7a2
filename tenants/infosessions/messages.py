"""The messages a drop-in booking sends: a confirmation with an .ics file at once, and a
reminder 24 hours before the session (taken back if the booking is cancelled first)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.tenancy import Tenant
from tenants.cohorts.calendar import LONDON
from tenants.infosessions.models import Booking, InfoSession
from tenants.notifications.models import OutboxMessage
from tenants.notifications.service import ics_attachment, queue_message, withdraw_unsent

CONFIRMATION = "dropin_booking_confirmation"
REMINDER = "dropin_reminder"
REMINDER_LEAD = dt.timedelta(hours=24)


def _clock(value: dt.time) -> str:
    text = value.strftime("%I:%M%p").lstrip("0").lower()
    return text.replace(":00", "")


def session_window(info_session: InfoSession) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(info_session.on_date, info_session.starts_at, LONDON)
    end = dt.datetime.combine(info_session.on_date, info_session.ends_at, LONDON)
    return start, end


def queue_booking_messages(session, tenant: Tenant, booking: Booking,
                           info_session: InfoSession, manage_link: str,
                           now: dt.datetime | None = None) -> None:
    """In the booking's transaction: nothing is sent unless the booking commits."""
    if not booking.email and not booking.phone:
        return  # someone who gave neither can still just turn up
    start, end = session_window(info_session)
    place = info_session.place or "Online (the link is on your booking page)"
    recipient = {"email": booking.email, "phone": booking.phone,
                 "name": booking.name.split()[0] if booking.name.strip() else "",
                 "sms_ok": bool(booking.phone), "preferred_channel":
                 "email" if booking.email else "sms"}
    personalisation = {
        "session_date": start.strftime("%A %-d %B %Y"),
        "session_time": f"{_clock(info_session.starts_at)} to {_clock(info_session.ends_at)}",
        "session_place": place, "manage_link": manage_link,
    }
    related = ("info_session_booking", booking.id)
    invite = ics_attachment(
        uid=f"dropin-{tenant.slug}-{booking.id}@peerpath", start=start, end=end,
        summary=f"Peer support drop-in session, {tenant.display_name}",
        location=info_session.place or "", filename="drop-in-session.ics")
    queue_message(session, CONFIRMATION, recipient, personalisation,
                  related=related, attachments=[invite])
    remind_at = start - REMINDER_LEAD
    if remind_at > (now or dt.datetime.now(dt.UTC)):
        queue_message(session, REMINDER, recipient, personalisation, related=related,
                      not_before=remind_at)


def confirmation_channel(session, booking: Booking) -> str | None:
    """How the booking's confirmation goes (email, sms, or phone: the team rings them when
    the trust sends no texts), for the page that tells the person how they will hear."""
    return session.scalar(select(OutboxMessage.channel).where(
        OutboxMessage.template_key == CONFIRMATION,
        OutboxMessage.related_type == "info_session_booking",
        OutboxMessage.related_id == str(booking.id)).order_by(OutboxMessage.id).limit(1))


def withdraw_reminder(session, booking: Booking) -> None:
    withdraw_unsent(session, REMINDER, ("info_session_booking", booking.id))
