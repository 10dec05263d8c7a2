"""Coordinator pages for a cohort's places, training register and outcomes."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from tenants.applications import pipeline
from tenants.applications.models import Application
from tenants.applications.service import places_offered
from tenants.audit.service import record
from tenants.cohorts.models import TrainingDay
from tenants.conditions import service as conditions
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.permissions import permits
from tenants.training import deferral, service
from tenants.training.models import ATTENDANCE, FollowUp
from tenants.training.schemas import (
    AttendanceSchema,
    CompletionRuleSchema,
    FollowUpAnswerSchema,
    OutcomeSchema,
    PlaceActionSchema,
    PlacementHoursSchema,
)
from tenants.workspace.views import (
    PlainForm,
    get_application,
    get_cohort,
    render,
)

bp = Blueprint("training", __name__, template_folder="templates")


def _page(cohort, errors=None, values=None, status=None):
    record("training.view", "cohort", cohort.id)
    context = dict(
        cohort=cohort, offers=service.offers(db.session, cohort.id),
        trainees=service.trainees(db.session, cohort.id),
        progress=service.progress(db.session, cohort),
        rule=service.completion_rule(db.session, cohort.id),
        outcome_history=service.outcome_history(db.session, cohort.id),
        offered=places_offered(db.session, cohort.id),
        waiting=service.waiting_list(db.session, cohort.id),
        held_back=conditions.held_back(db.session, cohort.id),
        reinstated=deferral.reinstated_in(db.session, cohort.id),
        outcome_labels=service.OUTCOME_LABELS, values=values or {}, errors=errors or {})
    db.session.commit()
    return render("training/places.html", status or (400 if errors else 200), **context)


@bp.get("/cohorts/<int:cohort_id>/places")
@coordinator_required("training:read")
def places(cohort_id: int):
    return _page(get_cohort(cohort_id))


def _form(cohort_id: int, schema, apply, list_fields=()):
    cohort = get_cohort(cohort_id)
    values, errors = load_form(schema, request.form, list_fields=list_fields)
    if not errors:
        try:
            apply(cohort, values)
            db.session.commit()
            return redirect(url_for(".places", cohort_id=cohort.id))
        except (service.Refused, pipeline.IllegalTransition) as refused:
            db.session.rollback()
            errors = {GENERIC_FIELD: getattr(refused, "message", None) or refused.reason}
    return _page(cohort, errors, values)


@bp.post("/cohorts/<int:cohort_id>/places")
@coordinator_required("training:write")
def place_action(cohort_id: int):
    def apply(cohort, values):
        application = get_application(cohort, values["application_id"])
        actor = current_user.get_id()
        if values["action"] == "offer":
            service.offer_place(db.session, application, actor=actor)
        elif values["action"] == "accept":
            service.accept(db.session, application, actor=actor)
        elif values["action"] == "decline":
            service.decline(db.session, application, actor=actor)
        else:
            service.complete(db.session, application, actor=actor)

    return _form(cohort_id, PlaceActionSchema(), apply)


@bp.post("/cohorts/<int:cohort_id>/training/start")
@coordinator_required("training:write")
def start(cohort_id: int):
    cohort = get_cohort(cohort_id)
    try:
        service.start_training(db.session, cohort.id, actor=current_user.get_id())
    except service.Refused as refused:
        db.session.rollback()
        return _page(cohort, {GENERIC_FIELD: refused.message})
    db.session.commit()
    return redirect(url_for(".places", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/applications/<int:application_id>/defer")
@coordinator_required("training:write")
def defer_place(cohort_id: int, application_id: int):
    """A coordinator defers a place to the next cohort, with a reason (the application
    page's form); the page then shows the application where it now is."""
    from tenants.workspace.views import application_page

    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    reason = (request.form.get("defer_reason") or "").strip()[:500]
    try:
        deferral.defer(db.session, application, actor=current_user.get_id(), reason=reason)
    except (service.Refused, pipeline.IllegalTransition) as refused:
        db.session.rollback()
        field = "defer_reason" if getattr(refused, "field", None) == "reason" else GENERIC_FIELD
        return application_page(cohort.id, application.id, errors={field: refused.message},
                                values={"defer_reason": reason})
    db.session.commit()
    return redirect(url_for("workspace.application_page", cohort_id=application.cohort_id,
                            application_id=application.id))


@bp.post("/cohorts/<int:cohort_id>/training/rule")
@coordinator_required("training:write")
def completion_rule(cohort_id: int):
    return _form(cohort_id, CompletionRuleSchema(), lambda cohort, v: service.set_completion_rule(
        db.session, cohort.id, actor=current_user.get_id(), **v))


@bp.post("/cohorts/<int:cohort_id>/training/hours")
@coordinator_required("training:write")
def placement_hours(cohort_id: int):
    return _form(cohort_id, PlacementHoursSchema(), lambda cohort, v: service.add_placement_hours(
        db.session, get_application(cohort, v["application_id"]), on_date=v["on_date"],
        hours=v["hours"], actor=current_user.get_id()))


@bp.post("/cohorts/<int:cohort_id>/outcomes")
@coordinator_required("training:write")
def outcome(cohort_id: int):
    return _form(cohort_id, OutcomeSchema(), lambda cohort, v: service.record_outcome(
        db.session, get_application(cohort, v["application_id"]), kind=v["kind"],
        detail=v.get("detail"), actor=current_user.get_id()))


def _day(cohort, day_id: int) -> TrainingDay:
    day = db.session.get(TrainingDay, day_id) if day_id < 2**62 else None
    if day is None or day.cohort_id != cohort.id:
        abort(404)
    return day


@bp.route("/cohorts/<int:cohort_id>/training/days/<int:day_id>", methods=["GET", "POST"])
@coordinator_required("training:read")
def register(cohort_id: int, day_id: int):
    cohort = get_cohort(cohort_id)
    day = _day(cohort, day_id)
    errors = {}
    if request.method == "POST":
        if not permits(current_user, "training:write"):
            abort(403)
        form = {"statuses": {key.removeprefix("status-"): value
                             for key, value in request.form.items()
                             if key.startswith("status-")}}
        values, errors = load_form(AttendanceSchema(), PlainForm(form))
        if not errors:
            try:
                service.mark_attendance(db.session, day, values["statuses"],
                                        actor=current_user.get_id())
                db.session.commit()
                return redirect(url_for(".register", cohort_id=cohort.id, day_id=day.id,
                                        saved=1))
            except service.Refused as refused:
                db.session.rollback()
                errors = {GENERIC_FIELD: refused.message}
    marks = service.register(db.session, day)
    record("training.register_view", "training_day", day.id)
    trainees = service.trainees(db.session, cohort.id)
    db.session.commit()
    return render("training/register.html", 400 if errors else 200, cohort=cohort, day=day,
                  trainees=trainees, marks=marks, statuses=ATTENDANCE, errors=errors,
                  saved=request.args.get("saved"))


@bp.get("/follow-ups")
@coordinator_required("training:read")
def follow_ups():
    rows = service.follow_ups_due(db.session, dt.date.today())
    record("training.follow_ups_view", None, None)
    db.session.commit()
    return render("training/follow_ups.html", rows=rows)


@bp.route("/follow-ups/<int:follow_up_id>/phone-call", methods=["GET", "POST"])
@coordinator_required("training:write")
def follow_up_call(follow_up_id: int):
    """A coordinator records the follow-up answer someone gave on the phone."""
    follow_up = db.session.get(FollowUp, follow_up_id) if follow_up_id < 2**62 else None
    if follow_up is None or follow_up.recorded_at is not None:
        abort(404)
    application = db.session.get(Application, follow_up.application_id)
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(FollowUpAnswerSchema(), request.form)
        if not errors:
            try:
                service.answer_follow_up(db.session, application, values,
                                         actor=current_user.get_id(), follow_up=follow_up)
                record("follow_up.phone_call", "application", application.id)
                db.session.commit()
                return redirect(url_for(".follow_ups"))
            except service.Refused as refused:
                db.session.rollback()
                errors = {GENERIC_FIELD: refused.message}
    return render("training/follow_up_call.html", 400 if errors else 200,
                  follow_up=follow_up, reference=application.reference, values=values,
                  errors=errors, outcome_labels=service.OUTCOME_LABELS)
