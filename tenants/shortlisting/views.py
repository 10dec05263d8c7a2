"""Shortlisting pages: anonymised review for reviewers, side by side and finalise for leads."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from marshmallow import fields, validate

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from tenants.applications.schemas import Lenient, text
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.coordinators.auth import coordinator_required
from tenants.eligibility.answers import results_in_words
from tenants.shortlisting import service
from tenants.shortlisting.models import RECOMMENDATIONS
from tenants.workspace.views import get_application, get_cohort, render

bp = Blueprint("shortlisting", __name__, template_folder="templates")
# Panel members may review too: they never see the applications list, so for them the
# anonymised pages are the only view of an application before the shortlist is final.
LABELS = {"shortlist": "Shortlist", "reserve": "Reserve", "not_shortlisted": "Not shortlisted"}


class ReopenSchema(Lenient):
    reason = text("Give the reason for reopening the shortlist", max_length=500,
                  too_long="The reason must be 500 characters or fewer")


class ReviewSchema(Lenient):
    recommendation = fields.String(required=True, validate=validate.OneOf(
        RECOMMENDATIONS, error="Choose shortlist, reserve or not shortlisted"),
        error_messages={"required": "Choose shortlist, reserve or not shortlisted"})
    note = text(max_length=2000, too_long="The note must be 2000 characters or fewer")


def _overview(cohort, errors=None, status=200):
    reviewers, rows = service.side_by_side(db.session, cohort.id)
    record("shortlist.overview_view", "cohort", cohort.id)
    db.session.commit()
    return render("shortlisting/overview.html", status, cohort=cohort, reviewers=reviewers,
                  rows=rows, final=service.is_final(db.session, cohort.id),
                  recommendation_labels=LABELS, me=current_user.display_name,
                  errors=errors or {}, posted=request.form if errors else {},
                  too_early=gates.today() < gates.shortlisting_opens(cohort))


@bp.get("/cohorts/<int:cohort_id>/shortlisting")
@coordinator_required("shortlisting:write")
def overview(cohort_id: int):
    return _overview(get_cohort(cohort_id))


@bp.route("/cohorts/<int:cohort_id>/shortlisting/<int:application_id>",
          methods=["GET", "POST"])
@coordinator_required("shortlisting:write")
def review(cohort_id: int, application_id: int):
    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    if application.stage != "eligibility_checked":
        abort(404)
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(ReviewSchema(), request.form)
        if not errors:
            try:
                service.record_review(db.session, application,
                                      reviewer_id=current_user.coordinator_id,
                                      recommendation=values["recommendation"],
                                      note=values.get("note"), actor=current_user.get_id())
                db.session.commit()
                return redirect(url_for(".overview", cohort_id=cohort.id))
            except service.Refused as refused:
                db.session.rollback()
                errors = {GENERIC_FIELD: refused.message}
    record("shortlist.review_view", "application", application.id)
    db.session.commit()
    return render("shortlisting/review.html", 400 if errors else 200, cohort=cohort,
                  application=application, final=service.is_final(db.session, cohort.id),
                  answers=service.anonymised_answers(db.session, application),
                  results=results_in_words(application.eligibility_results),
                  values=values, errors=errors, recommendation_labels=LABELS)


@bp.post("/cohorts/<int:cohort_id>/shortlisting/finalise")
@coordinator_required("shortlist_final:write")
def finalise(cohort_id: int):
    cohort = get_cohort(cohort_id)
    decisions, reasons = {}, {}
    for key, value in request.form.items():
        name, _, raw_id = key.partition("-")
        if not raw_id.isdigit() or int(raw_id) >= 2**62:
            continue
        if name == "decision" and value in RECOMMENDATIONS:
            decisions[int(raw_id)] = value
        elif name == "reason":
            reasons[int(raw_id)] = value[:1000]
    try:
        service.finalise(db.session, cohort, decisions, reasons=reasons,
                         actor=current_user.get_id(),
                         early_reason=request.form.get("early_reason", "")[:1000],
                         is_lead=current_user.role == "lead")
    except service.Refused as refused:
        db.session.rollback()
        return _overview(cohort, {refused.field or GENERIC_FIELD: refused.message}, 400)
    db.session.commit()
    return redirect(url_for(".overview", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/shortlisting/reopen")
@coordinator_required("shortlist_final:write")
def reopen(cohort_id: int):
    cohort = get_cohort(cohort_id)
    values, errors = load_form(ReopenSchema(), request.form)
    if not errors:
        try:
            service.reopen(db.session, cohort, reason=values["reason"],
                           actor=current_user.get_id())
            db.session.commit()
            return redirect(url_for(".overview", cohort_id=cohort.id))
        except service.Refused as refused:
            db.session.rollback()
            errors = {"reason": refused.message}
    return _overview(cohort, errors, 400)
