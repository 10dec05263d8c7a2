"""The Expression of Interest: start, one question per page, check your answers, send."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.page_cache import for_visitors
from peerpath.tenancy import current_tenant
from tenants.applications import account, crisis, messages, service, sources, steps
from tenants.applications.models import Applicant, Application
from tenants.applications.schemas import (
    CHANNEL_CHOICES,
    DISABILITY_CONFIDENT,
    EQUALITY_QUESTIONS,
    HEARD_VIA_CHOICES,
    YES_NO,
    YourDetailsSchema,
)
from tenants.audit.service import record
from tenants.eligibility import routing
from tenants.eligibility.answers import answers_in_words
from tenants.trustpage import service as trust_page

bp = Blueprint("apply", __name__, template_folder="templates")
CONFIRMED_KEY = "pp_confirmed"


def render(template: str, status: int = 200, **context):
    context.setdefault("errors", {})
    context.setdefault("values", {})
    code = 400 if context["errors"] and status == 200 else status
    return render_template(f"applications/{template}", tenant=current_tenant(),
                           signed_in=account.applicant_id() is not None, **context), code


def closed(refusal: service.Refused):
    upcoming = refusal.next_window if isinstance(refusal, service.ClosedForApplications) \
        else None
    return render("closed.html", message=refusal.message, upcoming=upcoming)


@bp.errorhandler(sources.NotConfigured)
def not_configured(_exc):
    return render("closed.html", message="This trust is not taking applications yet.",
                  upcoming=None)


@bp.get("/apply")
@for_visitors
def start():
    on = sources.today()
    cohorts = sources.open_cohorts(db.session, on)
    if not cohorts:
        return closed(service.closed_message(db.session, on))
    return render("start.html", cohorts=cohorts)


@bp.route("/apply/<cohort_id>/your-details", methods=["GET", "POST"])
def your_details(cohort_id):
    cohort = sources.get_cohort(db.session, cohort_id)
    if cohort is None:
        abort(404)
    on = sources.today()
    if not sources.window_is_open(cohort, on):
        return closed(service.closed_message(db.session, on))
    signed_in = account.applicant_id()
    if signed_in is not None:  # a signed-in applicant's details are known
        applicant = db.session.get(Applicant, signed_in)
        application, _ = service.start(db.session, cohort, name=applicant.name,
                                       email=applicant.email, on=on, applicant=applicant)
        db.session.commit()
        account.remember_draft(application.id)
        return redirect(resume_url(application))
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(YourDetailsSchema(), request.form)
        if not errors:
            return started(cohort, values, on)
    return render("your_details.html", cohort=cohort, values=values, errors=errors)


def started(cohort, values: dict, on):
    existing = service.find_applicant(db.session, values["email"])
    if existing is not None:
        # Someone who has applied before continues through a link to their own inbox,
        # so typing another person's e-mail address reveals nothing.
        application, _ = service.start(db.session, cohort, name=existing.name,
                                       email=existing.email, on=on, applicant=existing)
        messages.send_link(db.session, existing, application=application,
                           actor=service.applicant_actor(existing.id))
        db.session.commit()
        return redirect(url_for("apply.link_sent"))
    application, _ = service.start(db.session, cohort, on=on, **values)
    db.session.commit()
    account.remember_draft(application.id)
    return redirect(resume_url(application))


@bp.get("/apply/link-sent")
def link_sent():
    return render("link_sent.html")


def resume_url(application) -> str:
    if application.stage != "interest_registered":
        return url_for("applicant_account.home")
    questions = config_for(application).questions
    return url_for("apply.step", name=application.current_step
                   or steps.first_step(questions, extras()))


def config_for(application):
    """The form version this EOI is answered on (pinned when it started)."""
    return sources.configuration_of(db.session, application)


def extras() -> tuple[str, ...]:
    """Our own steps after the trust's (Disability Confident only at a trust that is)."""
    return steps.extra_steps(trust_page.is_disability_confident_employer(db.session))


def draft():
    """The application this browser (or this signed-in applicant) is filling in, or None."""
    draft_id = account.draft_id()
    if draft_id is None:
        return None
    application = db.session.get(Application, draft_id)
    return application if application and application.stage == "interest_registered" else None


def draft_or_start():
    application = draft()
    if application is None:
        return None, redirect(url_for("apply.start"))
    return application, None


@bp.route("/apply/step/<name>", methods=["GET", "POST"])
def step(name):
    application, away = draft_or_start()
    if away:
        return away
    questions, ours = config_for(application).questions, extras()
    if name not in steps.step_names(questions, ours):
        abort(404)
    question = steps.question_for(questions, name)
    answers = application.answers or {}
    if steps.is_exit(questions, name):
        return render("exit_page.html", page=question, lines=crisis.lines(db.session),
                      back=url_for("apply.step", name=steps.previous_step(
                          questions, name, answers, ours) or steps.first_step(questions, ours)))
    previous = steps.previous_step(questions, name, answers, ours)
    changing = request.args.get("change") == "1"
    errors: dict = {}
    if request.method == "POST":
        changes, errors, values = steps.read_step(questions, name, request.form)
        if not errors:
            following = steps.next_step(questions, name, {**answers, **changes}, ours)
            store(application, name, changes, following)
            if request.form.get("action") == "save":
                applicant = db.session.get(Applicant, application.applicant_id)
                messages.send_link(db.session, applicant, application=application,
                                   actor=service.applicant_actor(applicant.id))
                db.session.commit()
                return redirect(url_for("apply.link_sent"))
            db.session.commit()
            # A changed answer that leads to a page not seen yet (or an exit) goes there.
            if following is None or (changing and (following in ours
                                                   or following in answers)):
                return redirect(url_for("apply.check"))
            return redirect(url_for("apply.step", name=following))
    else:
        values = steps.shown_values(question, stored_value(application, name))
    back = url_for("apply.check") if changing else (
        url_for("apply.step", name=previous) if previous else url_for("apply.start"))
    return render("question.html", application=application, question=question, step=name,
                  values=values, errors=errors, back=back, changing=changing,
                  extra_title=steps.EXTRA_TITLES.get(name), yes_no=YES_NO,
                  channels=CHANNEL_CHOICES, disability_choices=DISABILITY_CONFIDENT,
                  equality_questions=EQUALITY_QUESTIONS, heard_via_choices=HEARD_VIA_CHOICES)


def store(application, name: str, changes: dict, following: str | None) -> None:
    actor = service.applicant_actor(application.applicant_id)
    next_step = following or "check"
    if name == steps.DISABILITY_CONFIDENT:
        choice = changes.get("disability_confident")
        application.disability_confident = {"yes": True, "no": False}.get(choice)
        service.save_answers(db.session, application, {}, step=next_step, actor=actor)
    elif name == steps.COMMUNICATION_NEEDS:
        applicant = db.session.get(Applicant, application.applicant_id)
        applicant.communication_needs = changes
        service.save_answers(db.session, application, {}, step=next_step, actor=actor)
    elif name == steps.EQUALITY:
        service.save_equality(db.session, application, changes, actor=actor)
        service.save_answers(db.session, application, {}, step=next_step, actor=actor)
    elif name == steps.WHERE_HEARD:
        service.save_heard_via(db.session, application, changes.get("heard_via"),
                               step=next_step, actor=actor)
    else:
        service.save_answers(db.session, application, changes, step=next_step, actor=actor)


def stored_value(application, name: str):
    if name == steps.DISABILITY_CONFIDENT:
        value = application.disability_confident
        return {"disability_confident": {True: "yes", False: "no"}.get(value)}
    if name == steps.COMMUNICATION_NEEDS:
        return db.session.get(Applicant, application.applicant_id).communication_needs or {}
    if name == steps.EQUALITY:
        return service.equality_answers(db.session, application.id)
    if name == steps.WHERE_HEARD:
        return {"heard_via": application.heard_via}
    return (application.answers or {}).get(name)


@bp.get("/apply/check-your-answers")
def check():
    application, away = draft_or_start()
    if away:
        return away
    return check_page(application)


def check_page(application, errors=None):
    questions = config_for(application).questions
    answers = application.answers or {}
    exit_page = routing.ended_at_exit(questions, answers)
    if exit_page:
        return redirect(url_for("apply.step", name=exit_page))
    applicant = db.session.get(Applicant, application.applicant_id)
    rows = answers_in_words(steps.asked(questions, answers), answers, former_questions=False)
    asks_disability_confident = steps.DISABILITY_CONFIDENT in extras()  # before the commit:
    record("application.view", "application", application.id,  # no second transaction
           actor=service.applicant_actor(application.applicant_id))
    db.session.commit()
    return render("check.html", application=application, applicant=applicant, rows=rows,
                  heard_via=dict(HEARD_VIA_CHOICES).get(application.heard_via),
                  errors=errors or {}, has_errors=bool(errors),
                  asks_disability_confident=asks_disability_confident)


@bp.post("/apply/submit")
def submit():
    application, away = draft_or_start()
    if away:
        return away
    try:
        service.submit(db.session, current_tenant(), application, on=sources.today(),
                       actor=service.applicant_actor(application.applicant_id))
    except service.Refused as refusal:
        db.session.rollback()
        if isinstance(refusal, service.ClosedForApplications) or refusal.field is None:
            return closed(refusal)
        return check_page(application, {refusal.field: refusal.message})
    db.session.commit()
    session[CONFIRMED_KEY] = {"trust": current_tenant().slug, "id": application.id}
    session.pop(account.DRAFT_KEY, None)
    return redirect(url_for("apply.confirmation"))


def confirmed():
    data = session.get(CONFIRMED_KEY)
    if not isinstance(data, dict) or data.get("trust") != current_tenant().slug:
        return None
    return db.session.get(Application, data.get("id"))


@bp.get("/apply/confirmation")
def confirmation():
    application = confirmed()
    if application is None:
        return redirect(url_for("apply.start"))
    return render("confirmation.html", application=application,
                  cohort=sources.get_cohort(db.session, application.cohort_id))


@bp.get("/apply/confirmation/easy-read")
def confirmation_easy_read():
    application = confirmed()
    if application is None:
        return redirect(url_for("apply.start"))
    return render("confirmation_easy_read.html", application=application)
