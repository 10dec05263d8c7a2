"""Coordinator settings: the trust's questions and eligibility rules, as versions.

Leads save an edit as a new version (a draft), try it with sample answers, then publish
it; other roles may read versions and use the preview.
"""

from __future__ import annotations

import json

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.refusal import Refused
from tenants.cohorts.forms import get_or_404, render_page, submit
from tenants.coordinators.auth import coordinator_required
from tenants.eligibility import service
from tenants.eligibility.answers import OUTCOME_WORDS, is_exclusive
from tenants.eligibility.describe import describe_rule_set
from tenants.eligibility.forms import VersionSchema, answers_from_form
from tenants.eligibility.models import EligibilityVersion

bp = Blueprint("eligibility_settings", __name__, template_folder="templates")
# Form templates everywhere (the EOI, the self-check, staff entry) mark "None of these".
bp.add_app_template_test(is_exclusive, "exclusive_option")



def _version_or_404(version_id: int):
    return get_or_404(EligibilityVersion, version_id)


@bp.get("/")
@coordinator_required("settings:read")
def versions():
    return render_page("eligibility/versions.html", versions=service.versions(db.session),
                   published=service.published_version(db.session))


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required("settings:write")
def new_version():
    start = service.latest_version(db.session)
    values = {"questions": json.dumps(start.questions if start else [], indent=2),
              "rule_set": json.dumps(start.rule_set if start else {"rules": []}, indent=2)}
    errors = {}
    if request.method == "POST":

        def save(data):
            try:
                return service.save_version(db.session, data["questions"], data["rule_set"],
                                            note=data["note"], publish=False,
                                            created_by_id=_coordinator_id())
            except service.InvalidRuleSet as invalid:
                raise Refused({"rule_set": invalid.problems[0]}) from invalid

        values, errors, saved = submit(VersionSchema(), save)
        if saved:
            return redirect(url_for(".version", version_id=saved.id))
        values = dict(request.form)
    return render_page("eligibility/version_form.html", values=values, errors=errors)


def _coordinator_id() -> int | None:
    return getattr(current_user, "coordinator_id", None)


@bp.route("/<int:version_id>", methods=["GET", "POST"])
@coordinator_required("settings:read")
def version(version_id: int):
    """The version in plain words, with a preview form (POST runs the preview)."""
    found = _version_or_404(version_id)
    evaluation, answers = None, {}
    if request.method == "POST":
        answers = answers_from_form(found.questions, request.form)
        evaluation = service.preview(found, answers)
    return render_page("eligibility/version.html", version=found, answers=answers,
                       outcome_words=OUTCOME_WORDS,
                   evaluation=evaluation, rules=describe_rule_set(found.questions,
                                                                  found.rule_set),
                   published=service.published_version(db.session))


@bp.post("/<int:version_id>/publish")
@coordinator_required("settings:write")
def publish(version_id: int):
    service.publish(db.session, _version_or_404(version_id))
    db.session.commit()
    return redirect(url_for(".version", version_id=version_id))
