"""The applicant books, moves or cancels their interview from their signed-in account."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, request, url_for

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.ics import download
from tenants.applications import account
from tenants.applications.service import applicant_actor, own_application
from tenants.applications.views_apply import render
from tenants.audit.service import record
from tenants.cohorts.calendar import LONDON
from tenants.interviews import service
from tenants.interviews.schemas import BookSchema

bp = Blueprint("interview_booking", __name__, template_folder="templates")


def _mine(application_id):
    application = own_application(db.session, account.applicant_id(), application_id)
    if application is None or application.stage not in ("interview_invited",
                                                         "interview_booked"):
        abort(404)
    return application


@bp.route("/account/interviews/<application_id>", methods=["GET", "POST"])
@account.applicant_required
def choose(application_id):
    application = _mine(application_id)
    booking = service.booking_for(db.session, application.id)
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(BookSchema(), request.form)
        if not errors:
            try:
                service.book(db.session, application, values["slot_id"],
                             actor=applicant_actor(application.applicant_id),
                             adjustments=values.get("adjustments") or "")
                db.session.commit()
                return redirect(url_for(".choose", application_id=application.id, booked=1))
            except service.SlotUnavailable as refused:
                db.session.rollback()
                errors = {"slot_id": refused.message}
    elif booking is not None:
        values = {"adjustments": booking.adjustments}
    free = service.free_slots(db.session, application.cohort_id, dt.datetime.now(dt.UTC))
    record("interview.view_own", "application", application.id,
           actor=applicant_actor(application.applicant_id))
    db.session.commit()
    return render("interview_choose.html", application=application, booking=booking,
                  free=free, values=values, errors=errors, booked=request.args.get("booked"),
                  london=LONDON)


@bp.post("/account/interviews/<application_id>/cancel")
@account.applicant_required
def cancel(application_id):
    application = _mine(application_id)
    try:
        service.cancel(db.session, application, actor=applicant_actor(application.applicant_id))
    except service.SlotUnavailable:
        db.session.rollback()
        abort(404)
    db.session.commit()
    return redirect(url_for(".choose", application_id=application.id))


@bp.get("/account/interviews/<application_id>/interview.ics")
@account.applicant_required
def calendar_file(application_id):
    application = _mine(application_id)
    booking = service.booking_for(db.session, application.id)
    if booking is None:
        abort(404)
    return download(service.interview_calendar(db.session, booking), "interview.ics")
