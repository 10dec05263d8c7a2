"""Drop-in sessions: coordinators' settings pages, and public booking and cancelling."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, request, url_for

from peerpath import grants
from peerpath.extensions import db
from peerpath.ics import download
from peerpath.links import external_url
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.cohorts.calendar import bank_holiday
from tenants.cohorts.forms import date_error_ids, get_or_404, render_page, submit
from tenants.coordinators.auth import coordinator_required
from tenants.infosessions import messages, service
from tenants.infosessions.models import Booking, InfoSession
from tenants.infosessions.schemas import BookingSchema, InfoSessionSchema

settings_bp = Blueprint("infosession_settings", __name__, template_folder="templates")
public_bp = Blueprint("dropins", __name__, template_folder="templates")

ATTENDED = {"yes": True, "no": False, "unknown": None}


# --- Coordinators -----------------------------------------------------------------------


@settings_bp.get("/")
@coordinator_required("settings:read")
def sessions():
    found = service.all_sessions(db.session)
    return render_page("infosessions/sessions.html", sessions=found,
                       bank_holiday=bank_holiday)


@settings_bp.route("/new", methods=["GET", "POST"], defaults={"info_session_id": None})
@settings_bp.route("/<int:info_session_id>/edit", methods=["GET", "POST"])
@coordinator_required("settings:write")
def session_form(info_session_id: int | None):
    found = get_or_404(InfoSession, info_session_id) if info_session_id else None
    values, errors = (vars(found) if found else {}), {}
    if request.method == "POST":
        values, errors, saved = submit(
            InfoSessionSchema(), lambda data: service.save_session(db.session, data, found))
        if saved:
            return redirect(url_for(".bookings", info_session_id=saved.id))
    return render_page("infosessions/session_form.html", info_session=found, values=values,
                   errors=errors, error_ids=date_error_ids(InfoSessionSchema()))


@settings_bp.get("/<int:info_session_id>")
@coordinator_required("settings:read")
def bookings(info_session_id: int):
    found = get_or_404(InfoSession, info_session_id)
    record("info_session.bookings_viewed", "info_session", found.id)
    db.session.commit()
    return render_page("infosessions/bookings.html", info_session=found,
                   live=[b for b in found.bookings if b.cancelled_at is None],
                   cancelled=[b for b in found.bookings if b.cancelled_at is not None])


@settings_bp.post("/<int:info_session_id>/bookings/<int:booking_id>/attendance")
@coordinator_required("dropin_attendance:write")
def attendance(info_session_id: int, booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.info_session_id != info_session_id:
        abort(404)
    choice = request.form.get("attended")
    if choice not in ATTENDED:
        abort(400, "Choose whether they came")
    service.set_attendance(db.session, booking, ATTENDED[choice])
    db.session.commit()
    return redirect(url_for(".bookings", info_session_id=info_session_id)
                    + f"#booking-{booking_id}")


# --- The public -------------------------------------------------------------------------


@public_bp.route("/<int:info_session_id>/book", methods=["GET", "POST"])
def book(info_session_id: int):
    found = get_or_404(InfoSession, info_session_id)
    if found.cancelled_at or found.on_date < dt.date.today():
        abort(404)
    values, errors = {}, {}
    if request.method == "POST":
        values, errors, saved = submit(BookingSchema(), lambda data: _book(found, data))
        if saved:  # straight to the token-free page: this browser holds the booking
            grants.hold(BOOKING_GRANT, saved.id, BOOKING_GRANT_SECONDS)
            return redirect(url_for(".booking"))
    return render_page("infosessions/book.html", info_session=found, values=values, errors=errors,
                   places_left=service.places_left(db.session, found))


def _book(info_session: InfoSession, data: dict) -> Booking:
    booking = service.book(db.session, info_session.id, data, dt.date.today())
    token = service.cancel_token(current_tenant().slug, booking)
    messages.queue_booking_messages(db.session, current_tenant(), booking, info_session,
                                    external_url("dropins.booked", token=token))
    return booking


# The message's link (booked/<token>) and the links on the booking page that once carried
# the token (the .ics file, cancel) are exchanged for a grant of this one booking held in
# the browser's session, then answered at token-free addresses (peerpath.grants).
BOOKING_GRANT = "dropin_booking"
BOOKING_GRANT_SECONDS = 12 * 60 * 60


def _exchange(token: str, endpoint: str):
    booking = service.booking_for_token(db.session, current_tenant().slug, token)
    if booking is None:
        return _link_not_working()
    return grants.exchange(BOOKING_GRANT, booking.id, BOOKING_GRANT_SECONDS, endpoint)


def _link_not_working():
    page, _ = render_page("infosessions/link_not_working.html")
    return page, 404


def _held_booking() -> Booking | None:
    booking_id = grants.held(BOOKING_GRANT)
    return db.session.get(Booking, booking_id) if isinstance(booking_id, int) else None


@public_bp.get("/booked/<token>")
def booked(token: str):
    return _exchange(token, ".booking")


@public_bp.get("/booked/<token>/session.ics")
def booked_ics(token: str):
    return _exchange(token, ".booking_ics")


@public_bp.get("/cancel/<token>")
def cancel(token: str):
    return _exchange(token, ".cancel_booking")


@public_bp.get("/your-booking")
def booking():
    found = _held_booking()
    if found is None:
        return _link_not_working()
    return render_page("infosessions/booked.html", booking=found,
                       info_session=found.info_session,
                       confirmed_by=messages.confirmation_channel(db.session, found))


@public_bp.get("/your-booking/session.ics")
def booking_ics():
    found = _held_booking()
    if found is None:
        return _link_not_working()
    return download(messages.booking_calendar(current_tenant(), found, found.info_session),
                    f"drop-in-{found.info_session_id}.ics")


@public_bp.route("/your-booking/cancel", methods=["GET", "POST"])
def cancel_booking():
    found = _held_booking()
    if found is None:
        return _link_not_working()
    if request.method == "POST":
        service.cancel(db.session, found)
        db.session.commit()
    return render_page("infosessions/cancel.html", booking=found,
                       info_session=found.info_session)
