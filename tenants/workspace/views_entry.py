"""Coordinator pages for entering a paper, e-mail or phone EOI, and merging duplicates."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.tenancy import current_tenant
from tenants.applications import service as applications
from tenants.applications import sources
from tenants.applications.models import Applicant
from tenants.applications.schemas import HEARD_VIA_CHOICES
from tenants.coordinators.auth import coordinator_required
from tenants.workspace import entry
from tenants.workspace.schemas import EnteredEoiSchema, MergeSchema
from tenants.workspace.views import (
    application_page,
    bp,
    get_application,
    get_cohort,
    render,
)


@bp.route("/<int:cohort_id>/applications/new", methods=["GET", "POST"])
@coordinator_required("applications:write")
def enter(cohort_id: int):
    cohort = get_cohort(cohort_id)
    questions = sources.configuration(db.session, current_tenant(), cohort).questions
    values, errors, answer_values = {}, {}, {}
    if request.method == "POST":
        values, errors = load_form(EnteredEoiSchema(), request.form)
        answers, answer_errors, answer_values = entry.read_answers(questions, request.form)
        errors.update({f"{key}": message for key, message in answer_errors.items()})
        if not errors:
            try:
                application = entry.enter_eoi(db.session, current_tenant(), cohort, values,
                                              answers, actor=current_user.get_id(),
                                              on=sources.today())
                db.session.commit()
                return redirect(url_for(".application_page", cohort_id=cohort.id,
                                        application_id=application.id))
            except applications.Refused as refused:
                db.session.rollback()
                errors = {GENERIC_FIELD: refused.message}
    return render("workspace/enter.html", 400 if errors else 200, cohort=cohort,
                  questions=questions, values=values, answer_values=answer_values,
                  heard_via_choices=HEARD_VIA_CHOICES, errors=errors)


@bp.post("/<int:cohort_id>/applications/<int:application_id>/merge")
@coordinator_required("applications:write")
def merge(cohort_id: int, application_id: int):
    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    values, errors = load_form(MergeSchema(), request.form)
    if not errors:
        keep = db.session.get(Applicant, application.applicant_id)
        duplicate = db.session.get(Applicant, values["duplicate_id"])
        if duplicate is None or duplicate not in entry.possible_duplicates(db.session, keep):
            abort(404)
        try:
            entry.merge(db.session, keep, duplicate, actor=current_user.get_id())
            db.session.commit()
            return redirect(url_for(".application_page", cohort_id=cohort.id,
                                    application_id=application.id, merged=1))
        except entry.Refused as refused:
            db.session.rollback()
            errors = {GENERIC_FIELD: refused.message}
    return application_page(cohort.id, application.id, errors=errors)
