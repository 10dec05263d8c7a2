"""The applicant's account: sign in by e-mailed link, see applications, change details,
withdraw or ask to defer."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for

from peerpath import grants
from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.refusal import Refused
from tenants.applications import (
    account,
    decisions,
    link_limits,
    links,
    messages,
    pipeline,
    service,
    sources,
)
from tenants.applications.models import Applicant, Application
from tenants.applications.schemas import (
    CHANNEL_CHOICES,
    YES_NO,
    ContactDetailsSchema,
    ReasonSchema,
    SignInSchema,
)
from tenants.applications.views_apply import render, resume_url
from tenants.audit.service import record
from tenants.eligibility.service import answers_in_words_for
from tenants.reasons import service as decision_reasons

bp = Blueprint("applicant_account", __name__, template_folder="templates")


@bp.route("/account/sign-in", methods=["GET", "POST"])
def sign_in():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(SignInSchema(), request.form)
        wait = None if errors else link_limits.wait_before_link(values["email"])
        if wait:
            page, status = render("sign_in.html", 429, values=values,
                                  errors={"email": link_limits.too_many_message(wait)})
            return page, status, {"Retry-After": str(wait)}
        if not errors:
            applicant = service.find_applicant(db.session, values["email"])
            if applicant is not None:
                messages.send_link(db.session, applicant,
                                   actor=service.applicant_actor(applicant.id))
                db.session.commit()
            # The same answer whether or not the address is known: nothing to learn here.
            return redirect(url_for("apply.link_sent"))
    return render("sign_in.html", values=values, errors=errors)


LINK_GRANT = "sign_in_link"


@bp.get("/account/sign-in/<token>")
def use_link(token):
    """The e-mailed link: its token goes no further than this request (peerpath.grants)."""
    token_hash = links.grant_for(db.session, token)
    if token_hash is None:
        return render("use_link.html", valid=False, status=404)
    return grants.exchange(LINK_GRANT, token_hash, links.GRANT_SECONDS, ".confirm_sign_in")


@bp.route("/account/sign-in/link", methods=["GET", "POST"])
def confirm_sign_in():
    # Opening the link only shows a button, so e-mail scanners that fetch links do not
    # use up the single-use token; pressing it signs in.
    token_hash = grants.held(LINK_GRANT)
    if request.method == "GET":
        if token_hash is None and account.applicant_id() is not None:
            return redirect(url_for(".home"))  # signed in already (e.g. Back, or a reload)
        valid = links.peek(db.session, token_hash) is not None
        return render("use_link.html", valid=valid, status=200 if valid else 404)
    grants.release(LINK_GRANT)
    link = links.redeem(db.session, token_hash)
    if link is None:
        return render("use_link.html", valid=False, status=404)
    record("applicant.sign_in", "applicant", link.applicant_id,
           actor=service.applicant_actor(link.applicant_id))
    db.session.commit()
    account.sign_in(link.applicant_id)
    if link.purpose == "continue" and link.application_id:
        application = db.session.get(Application, link.application_id)
        account.remember_draft(application.id)
        return redirect(resume_url(application))
    return redirect(account.take_target() or url_for(".home"))


@bp.post("/account/sign-out")
def sign_out():
    account.sign_out()
    return redirect(url_for("applicant_pages.signed_out"))


def me() -> Applicant:
    return db.session.get(Applicant, account.applicant_id())


@bp.get("/account/")
@account.applicant_required
def home():
    applicant = me()
    items = []
    for application in service.applications_of(db.session, applicant.id):
        cohort = sources.get_cohort(db.session, application.cohort_id)
        items.append({"application": application, "cohort": cohort,
                      "status": pipeline.PLAIN_WORDS[application.stage],
                      "bad_news": application.stage in pipeline.BAD_NEWS,
                      "feedback": decisions.feedback_for(db.session, application),
                      "may_ask": application.stage in pipeline.BAD_NEWS,
                      "asked": decisions.open_request(db.session, application.id),
                      "can_withdraw": "withdrawn" in pipeline.TRANSITIONS[application.stage],
                      "can_defer": "deferred" in pipeline.TRANSITIONS[application.stage],
                      **_place(application)})
    record("applicant.view_own", "applicant", applicant.id,
           actor=service.applicant_actor(applicant.id))
    db.session.commit()
    return render("account.html", applicant=applicant, items=items)


def _place(application: Application) -> dict:
    """What the account says of a place: its outstanding conditions, in plain words, and
    a deferral (waiting for a later cohort, or reinstated)."""
    from tenants.conditions.service import outstanding_for_applicant
    from tenants.training import deferral

    moved = deferral.latest(db.session, application.id)
    return {"conditions": outstanding_for_applicant(db.session, application.id),
            "holds_place": application.stage in deferral.DEFERRABLE,
            "deferral": moved, "deferred_from": moved and sources.get_cohort(
                db.session, moved.from_cohort_id)}


def _defer(application: Application, reason: str | None) -> None:
    """A place offered or held moves to a later cohort (training.deferral); an earlier
    application asks the team to move it."""
    from tenants.training import deferral

    if application.stage in deferral.DEFERRABLE:
        try:
            deferral.defer(db.session, application, actor="", reason=reason,
                           by_applicant=True)
        except Refused as refused:
            raise pipeline.IllegalTransition(refused.message) from None
    else:
        service.defer(db.session, application, reason=reason)


def _next_group(application: Application):
    """The later cohort a deferred place would go to now, if one has room (for the
    confirmation page)."""
    from tenants.training import deferral

    if application.stage not in deferral.DEFERRABLE:
        return None
    cohort = sources.get_cohort(db.session, application.cohort_id)
    return next((c for c in deferral.later_cohorts(db.session, cohort)
                 if service.places_offered(db.session, c.id) < c.capacity), None)


@bp.get("/account/applications/<application_id>/answers")
@account.applicant_required
def answers(application_id):
    """A sent EOI's answers, against the questions of the form version it was answered on."""
    application = service.own_application(db.session, account.applicant_id(), application_id)
    if application is None or application.submitted_at is None:
        abort(404)
    rows = answers_in_words_for(db.session, application.rule_set_version_id,
                                application.answers)
    record("application.view", "application", application.id,
           actor=service.applicant_actor(application.applicant_id))
    db.session.commit()
    return render("your_answers.html", application=application, rows=rows,
                  cohort=sources.get_cohort(db.session, application.cohort_id))


@bp.route("/account/details", methods=["GET", "POST"])
@account.applicant_required
def details():
    applicant = me()
    errors = {}
    if request.method == "POST":
        values, errors = load_form(ContactDetailsSchema(), request.form)
        if not errors:
            service.update_contact(db.session, applicant, values)
            db.session.commit()
            return redirect(url_for(".home", updated="1"))
    else:
        values = {"name": applicant.name, "phone": applicant.phone,
                  **(applicant.communication_needs or {})}
    return render("details.html", applicant=applicant, values=values, errors=errors,
                  channels=CHANNEL_CHOICES, yes_no=YES_NO)


@bp.route("/account/applications/<application_id>/<action>", methods=["GET", "POST"])
@account.applicant_required
def step_out(application_id, action):
    if action not in ("withdraw", "defer"):
        abort(404)
    application = service.own_application(db.session, account.applicant_id(), application_id)
    if application is None:
        abort(404)
    target = "withdrawn" if action == "withdraw" else "deferred"
    values, errors = {}, {}
    if target not in pipeline.TRANSITIONS[application.stage]:
        errors = {"_form": "This application can no longer be "
                           + ("withdrawn" if action == "withdraw" else "deferred")}
    elif request.method == "POST":
        values, errors = load_form(ReasonSchema(), request.form)
        if not errors:
            try:
                if action == "withdraw":
                    service.withdraw(db.session, application, reason=values.get("reason"),
                                     reason_id=values.get("reason_id"))
                else:
                    _defer(application, values.get("reason"))
            except pipeline.IllegalTransition as refused:
                db.session.rollback()
                errors = {"reason_id": refused.message}
            else:
                db.session.commit()
                return redirect(url_for(".home", done=action))
    return render("step_out.html", application=application, action=action, values=values,
                  errors=errors, withdrawal_reasons=decision_reasons.current(
                      db.session, "withdrawn") if action == "withdraw" else [],
                  holds_place=application.stage in ("place_offered", "place_accepted"),
                  next_group=_next_group(application) if action == "defer" else None)


@bp.post("/account/applications/<application_id>/conversation")
@account.applicant_required
def ask_for_conversation(application_id):
    application = service.own_application(db.session, account.applicant_id(), application_id)
    if application is None:
        abort(404)
    try:
        decisions.ask_for_conversation(db.session, application,
                                       actor=service.applicant_actor(application.applicant_id))
    except Refused:
        db.session.rollback()
        return redirect(url_for(".home"))
    db.session.commit()
    return redirect(url_for(".home", done="conversation"))
