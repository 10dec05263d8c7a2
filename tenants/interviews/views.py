"""Coordinator interview pages: a cohort's slots (bulk-create, book for an applicant), and
the panel's own interviews with the structured record.

Panel members see only the applicants on their own panels, and only what the interview
needs: name, reference, time, place and the adjustments asked for.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from tenants.applications.models import Applicant, Application
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permits
from tenants.interviews import service
from tenants.interviews.schemas import (
    CoordinatorBookSchema,
    RecordSchema,
    SlotsSchema,
    scores_from_form,
    week_days,
)
from tenants.workspace.views import (
    PlainForm,
    get_application,
    get_cohort,
    render,
)

bp = Blueprint("interviews", __name__, template_folder="templates")


def _slots_page(cohort, values=None, errors=None):
    rows = service.slots_with_bookings(db.session, cohort.id)
    invited = db.session.execute(
        select(Application.id, Application.reference, Applicant.name)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort.id,
               Application.stage.in_(("interview_invited", "interview_booked")))
        .order_by(Application.reference)).all()
    panel = db.session.scalars(select(Coordinator).where(
        Coordinator.active.is_(True)).order_by(Coordinator.display_name)).all()
    record("interview_slots.view", "cohort", cohort.id)
    db.session.commit()
    return render("interviews/slots.html", 400 if errors else 200, cohort=cohort, rows=rows,
                  invited=invited, panel=panel, days=week_days(cohort.interview_week_of),
                  values=values or {"length": 45, "start": "09:30", "end": "16:30"},
                  errors=errors or {})


@bp.get("/cohorts/<int:cohort_id>/interviews")
@coordinator_required("interviews:read")
def slots(cohort_id: int):
    return _slots_page(get_cohort(cohort_id))


@bp.post("/cohorts/<int:cohort_id>/interviews")
@coordinator_required("interviews:write")
def create_slots(cohort_id: int):
    cohort = get_cohort(cohort_id)
    values, errors = load_form(SlotsSchema(), request.form, list_fields=("days", "panel"))
    if errors:
        return _slots_page(cohort, values, errors)
    try:
        service.create_slots(db.session, cohort, days=values["days"], start=values["start"],
                             end=values["end"], length_minutes=values["length"],
                             place=values["place"],
                             panel_ids=_known_coordinators(values["panel"]),
                             actor=current_user.get_id(),
                             confirm_outside_week=values["confirm_outside_week"])
    except service.OutsideInterviewWeek as warning:
        db.session.rollback()
        return _slots_page(cohort, {**values, "outside_week": True}, warning.problems)
    db.session.commit()
    return redirect(url_for(".slots", cohort_id=cohort.id))


def _known_coordinators(ids: list[int]) -> list[int]:
    if not ids:
        return []
    return list(db.session.scalars(select(Coordinator.id).where(Coordinator.id.in_(ids))))


@bp.post("/cohorts/<int:cohort_id>/interviews/book")
@coordinator_required("interviews:write")
def book(cohort_id: int):
    cohort = get_cohort(cohort_id)
    values, errors = load_form(CoordinatorBookSchema(), request.form)
    if not errors:
        application = get_application(cohort, values["application_id"])
        try:
            service.book(db.session, application, values["slot_id"],
                         actor=current_user.get_id(), adjustments=values.get("adjustments"))
            db.session.commit()
            return redirect(url_for(".slots", cohort_id=cohort.id))
        except service.SlotUnavailable as refused:
            db.session.rollback()
            errors = {GENERIC_FIELD: refused.message}
    return _slots_page(cohort, values, errors)


@bp.get("/interviews/")
@coordinator_required("own_interviews:read")
def mine():
    rows = service.panel_interviews(db.session, current_user.coordinator_id)
    record("interview.panel_list", "coordinator", current_user.coordinator_id)
    db.session.commit()
    return render("interviews/mine.html", rows=rows)


def _allowed_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id) \
        if application_id < 2**62 else None
    if application is None:
        abort(404)
    if not permits(current_user, "interview_records:read") and \
            not service.on_panel(db.session, current_user.coordinator_id, application.id):
        abort(404)  # reads as missing: a panel member learns nothing of others' applicants
    return application


@bp.route("/interviews/<int:application_id>", methods=["GET", "POST"])
@coordinator_required("interview_panel:write")
def interview(application_id: int):
    application = _allowed_application(application_id)
    criteria = service.criteria(db.session)
    existing = service.interview_record(db.session, application.id)
    values, errors = ({"scores": existing.scores, "notes": existing.notes,
                       "outcome": existing.outcome} if existing else {"scores": {}}), {}
    if request.method == "POST":
        form = {"notes": request.form.get("notes", ""), "outcome": request.form.get("outcome"),
                "scores": scores_from_form(request.form, [c.key for c in criteria])}
        values, errors = load_form(RecordSchema(), PlainForm(form))
        if not errors and len(values["scores"]) != len(criteria):
            errors = {"scores": "Score every criterion"}
        if not errors:
            try:
                service.record_interview(db.session, application, scores=values["scores"],
                                         notes=values.get("notes"), outcome=values["outcome"],
                                         actor=current_user.get_id())
                db.session.commit()
                return redirect(url_for(".interview", application_id=application.id,
                                        saved=1))
            except service.SlotUnavailable as refused:
                db.session.rollback()
                errors = {GENERIC_FIELD: refused.message}
        values = {**form, **values} if isinstance(values, dict) else form
    applicant = db.session.get(Applicant, application.applicant_id)
    booking = service.booking_for(db.session, application.id)
    record("interview.view", "application", application.id)
    db.session.commit()
    return render("interviews/interview.html", 400 if errors else 200,
                  application=application, name=applicant.name, booking=booking,
                  criteria=criteria, values=values, errors=errors,
                  saved=request.args.get("saved"))
