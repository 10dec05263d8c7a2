"""Settings: the trust's conditions on a place (a lead adds, rewords and retires them), and
on the application page, each place's conditions (recorded by staff, overridden by a lead)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.refusal import Refused
from tenants.cohorts.forms import get_or_404, render_page, submit
from tenants.conditions import service
from tenants.conditions.models import Condition
from tenants.conditions.schemas import (
    ConditionOverrideSchema,
    ConditionStatusSchema,
    ConditionWordingSchema,
)
from tenants.coordinators.auth import coordinator_required
from tenants.workspace import views as workspace

bp = Blueprint("condition_settings", __name__, template_folder="templates")
places_bp = Blueprint("place_conditions", __name__, template_folder="templates")


def _index(errors=None):
    return render_page("conditions/index.html", conditions=service.current(db.session),
                       retired=service.retired(db.session), errors=errors or {})


@bp.get("/")
@coordinator_required("settings:read")
def conditions():
    return _index()


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required("settings:write")
def new_condition():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors, saved = submit(ConditionWordingSchema(), lambda data: service.add(
            db.session, label=data["label"], waiting_for=data["waiting_for"],
            actor=current_user.get_id()))
        if saved:
            return redirect(url_for(".conditions"))
    return render_page("conditions/form.html", condition=None, values=values, errors=errors)


@bp.route("/<int:condition_id>/edit", methods=["GET", "POST"])
@coordinator_required("settings:write")
def reword(condition_id: int):
    condition = get_or_404(Condition, condition_id)
    values, errors = {"label": condition.label, "waiting_for": condition.waiting_for}, {}
    if request.method == "POST":
        values, errors, saved = submit(ConditionWordingSchema(), lambda data: service.reword(
            db.session, condition, label=data["label"], waiting_for=data["waiting_for"],
            actor=current_user.get_id()))
        if saved:
            return redirect(url_for(".conditions"))
    return render_page("conditions/form.html", condition=condition, values=values,
                       errors=errors)


@bp.post("/<int:condition_id>/retire")
@coordinator_required("settings:write")
def retire(condition_id: int):
    service.retire(db.session, get_or_404(Condition, condition_id),
                   actor=current_user.get_id())
    db.session.commit()
    return redirect(url_for(".conditions"))


def _on_application(cohort_id: int, application_id: int, schema, apply):
    return workspace.application_form(cohort_id, application_id, schema, apply,
                                      anchor="#conditions", shown=Refused)


@places_bp.post("/<int:cohort_id>/applications/<int:application_id>/conditions/"
                "<int:place_condition_id>")
@coordinator_required("conditions:write")
def record_status(cohort_id: int, application_id: int, place_condition_id: int):
    return _on_application(cohort_id, application_id, ConditionStatusSchema(), lambda a, v: (
        service.record_status(db.session, service.place_condition(db.session, a,
                                                                  place_condition_id),
                              v["status"], actor=current_user.get_id())))


@places_bp.post("/<int:cohort_id>/applications/<int:application_id>/conditions/override")
@coordinator_required("conditions_override:write")
def override(cohort_id: int, application_id: int):
    return _on_application(cohort_id, application_id, ConditionOverrideSchema(), lambda a, v: (
        service.override(db.session, a, reason=v["reason"], actor=current_user.get_id())))
