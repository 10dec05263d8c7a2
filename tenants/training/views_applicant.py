"""The applicant's training pages in their signed-in account: accept or decline an offered
place, and after the training tell the team what they are doing now (the follow-up)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from peerpath.extensions import db
from peerpath.forms import load_form
from tenants.applications import account, sources
from tenants.applications.service import applicant_actor, own_application
from tenants.applications.views_apply import render
from tenants.audit.service import record
from tenants.training import service
from tenants.training.schemas import FollowUpAnswerSchema

bp = Blueprint("place_response", __name__, template_folder="templates")


@bp.route("/account/places/<application_id>", methods=["GET", "POST"])
@account.applicant_required
def respond(application_id):
    application = own_application(db.session, account.applicant_id(), application_id)
    if application is None or application.stage != "place_offered":
        abort(404)
    actor = applicant_actor(application.applicant_id)
    errors = {}
    if request.method == "POST":
        answer = request.form.get("answer")
        if answer == "accept":
            service.accept(db.session, application, actor=actor)
        elif answer == "decline":
            service.decline(db.session, application, actor=actor)
        else:
            errors = {"answer": "Select yes to accept the place, or no to decline it"}
        if not errors:
            db.session.commit()
            return redirect(url_for("applicant_account.home"))
    record("place.view_own", "application", application.id, actor=actor)
    db.session.commit()
    return render("place_response.html", application=application, errors=errors)


# What the applicant reads for each outcome kind (the coordinators' labels are in service).
DOING_NOW = {
    "paid_psw_post": "Working as a paid peer support worker",
    "other_trust_role": "Working in another paid role at {trust}",
    "partner_organisation": "Working for a partner organisation, such as a charity or the "
                            "council",
    "volunteering": "Volunteering, for example with the Recovery College",
    "studying": "Studying or training",
    "not_yet": "Not working yet",
    "something_else": "Something else",
}
AFTER_TRAINING = ("completed", "outcome_recorded")


@bp.route("/account/follow-up/<application_id>", methods=["GET", "POST"])
@account.applicant_required
def follow_up(application_id):
    application = own_application(db.session, account.applicant_id(), application_id)
    if application is None or application.stage not in AFTER_TRAINING:
        abort(404)
    actor = applicant_actor(application.applicant_id)
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(FollowUpAnswerSchema(), request.form)
        if not errors:
            service.answer_follow_up(db.session, application, values, actor=actor)
            db.session.commit()
            return redirect(url_for("applicant_account.home", done="follow-up"))
    due = service.follow_up_due(db.session, application.id, sources.today())
    record("follow_up.view_own", "application", application.id, actor=actor)
    db.session.commit()
    return render("follow_up.html", application=application, due=due, values=values,
                  errors=errors, doing_now=DOING_NOW)
