"""Applicant pages outside the form: the eligibility self-check, help in a crisis, and the
Easy Read trust page."""

from __future__ import annotations

from flask import Blueprint, request

from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.applications import crisis, sources, steps
from tenants.applications.views_apply import not_configured, render
from tenants.eligibility.rules import ELIGIBLE, NOT_ELIGIBLE, evaluate

bp = Blueprint("applicant_pages", __name__, template_folder="templates")
bp.register_error_handler(sources.NotConfigured, not_configured)


@bp.route("/eligibility-check", methods=["GET", "POST"])
def self_check():
    """Anonymous and stored nowhere: the answers live only in this request."""
    config = sources.configuration(db.session, current_tenant())
    questions = [q for q in config.questions if q["type"] != "long_text"]
    answers, errors, values = {}, {}, {}
    if request.method == "POST":
        for question in questions:
            changes, problems, shown = steps.read_step(
                [question], question["key"], _Form(request.form, question["key"]))
            answers.update(changes)
            values[question["key"]] = shown
            if problems:
                errors[question["key"]] = next(iter(problems.values()))
        if not errors:
            full = {**{q["key"]: "answered" for q in config.questions
                       if q["type"] == "long_text"}, **answers}
            judged = evaluate(config.questions, config.rule_set, full, today=sources.today())
            return render("self_check_result.html", outcome=judged.outcome,
                          unmet=[r for r in judged.results if r["outcome"] != "pass"],
                          ELIGIBLE=ELIGIBLE, NOT_ELIGIBLE=NOT_ELIGIBLE)
    return render("self_check.html", questions=questions, values=values, errors=errors)


class _Form:
    """One question's slice of the self-check form, in the shape load_form reads."""

    def __init__(self, form, key: str):
        self.form, self.prefix = form, key + "."

    def lists(self):
        for name, values in self.form.lists():
            if name.startswith(self.prefix):
                yield name.removeprefix(self.prefix), values

    def getlist(self, name):
        return self.form.getlist(self.prefix + name)


@bp.get("/help-in-a-crisis")
def crisis_page():
    return render("crisis.html", lines=crisis.lines(db.session))


@bp.get("/easy-read")
def easy_read():
    on = sources.today()
    cohorts = sources.open_cohorts(db.session, on)
    return render("trust_easy_read.html", cohorts=cohorts,
                  upcoming=None if cohorts else sources.next_window(db.session, on),
                  drop_ins=sources.upcoming_drop_ins(db.session, on))


@bp.get("/signed-out")
def signed_out():
    return render("signed_out.html")
