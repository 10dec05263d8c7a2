"""The applicant accepts or declines an offered place from their signed-in account."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from peerpath.extensions import db
from tenants.applications import account
from tenants.applications.service import applicant_actor, own_application
from tenants.applications.views_apply import render
from tenants.audit.service import record
from tenants.training import service

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
