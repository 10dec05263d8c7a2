"""Coordinator workspace pages: cohorts, the dashboard, applications list and page, export.

Panel members do not see these pages (they see only their interviews); read-only staff see
them without the action forms. Every view and export of applicant data is audited.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from peerpath import spreadsheet
from peerpath.confirm import Confirmation, confirmation_page, is_confirmed
from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.refusal import Refused
from peerpath.tenancy import current_tenant
from tenants.applications import deadlines, decisions, equality, messages, pipeline, responses
from tenants.applications.models import Applicant, Application
from tenants.applications.schemas import HEARD_VIA_CHOICES, Lenient
from tenants.applications.service import history, transition
from tenants.audit.service import record
from tenants.cohorts import calendar, gates
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.conditions import service as place_conditions
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.permissions import permits
from tenants.eligibility.answers import OUTCOME_WORDS, results_in_words
from tenants.eligibility.service import answers_in_words_for
from tenants.notifications import reach
from tenants.notifications.service import get_settings
from tenants.reasons import service as reasons
from tenants.reasons.models import KIND_LABELS
from tenants.workspace import queries, service
from tenants.workspace.schemas import (
    BulkActionSchema,
    ListFiltersSchema,
    MoveSchema,
    NoteSchema,
    OverrideSchema,
)

bp = Blueprint("workspace", __name__, template_folder="templates")

BIGGEST_ID = 2**62


class PlainForm(dict):
    """A dict that reads like request.form to load_form (one value per key)."""

    def lists(self):
        return [(key, [value]) for key, value in self.items()]


def can_act() -> bool:
    return permits(current_user, "applications:write")


def reason_context() -> dict:
    """The current structured reasons for the decision forms, grouped by kind."""
    return {"reasons": reasons.by_kind(db.session), "reason_kinds": KIND_LABELS}


def recorded(page, action: str, cohort_id: int, detail: dict | None = None):
    """`page`, rendered, once its viewing is recorded: the page's reads and the audit record
    in one transaction (committing before rendering cost a second one, and reloading what
    the commit expired)."""
    record(action, "cohort", cohort_id, detail=detail)
    db.session.commit()
    return page


def get_cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id) if cohort_id < BIGGEST_ID else None
    if cohort is None:
        abort(404)
    return cohort


def get_application(cohort: Cohort, application_id: int) -> Application:
    application = db.session.get(Application, application_id) \
        if application_id < BIGGEST_ID else None
    if application is None or application.cohort_id != cohort.id:
        abort(404)
    return application


def render(template: str, status: int = 200, **context):
    context.setdefault("errors", {})
    return render_template(template, tenant=current_tenant(), can_act=can_act(),
                           can_decide=permits(current_user, "decisions:write"),
                           labels=pipeline.LABELS, london=calendar.LONDON, **context), status


@bp.get("/")
@coordinator_required("applications:read")
def cohort_index():
    return render("workspace/cohorts.html", cohorts=cohorts.cohorts(db.session))[0]


@bp.get("/<int:cohort_id>/")
@coordinator_required("applications:read")
def dashboard(cohort_id: int):
    cohort = get_cohort(cohort_id)
    counts = queries.stage_counts(db.session, cohort.id)
    reached = queries.reached_counts(db.session, cohort.id)
    offered = cohorts.places_offered(db.session, cohort.id)
    page = render("workspace/dashboard.html", cohort=cohort, counts=counts, reached=reached,
                  reason_counts=decisions.counts_by_stage_and_reason(db.session, cohort.id),
                  conversations=decisions.open_requests(db.session, cohort.id),
                  funnel_max=max(reached.values()) or 1, offered=offered,
                  places_left=max(cohort.capacity - offered, 0),
                  dc_total=sum(c["dc"] for c in counts.values()),
                  decision=queries.days_to_decision(db.session, cohort.id),
                  key_dates=calendar.key_dates(cohort, with_training_days=False),
                  eoi_overdue=responses.overdue_count(db.session, cohort_id=cohort.id),
                  **_this_week(cohort))
    return recorded(page, "cohort.dashboard_view", cohort.id)


def _this_week(cohort) -> dict:
    """What the cohort's calendar asks of the team this week (Monday to Sunday)."""
    today = gates.today()
    monday = today - dt.timedelta(days=today.weekday())
    return {"due_this_week": gates.due_this_week(cohort, today),
            "replies_due": deadlines.replies_due_between(
                db.session, cohort.id, monday, monday + dt.timedelta(days=6))}


@bp.get("/<int:cohort_id>/equality")
@coordinator_required("equality:read")
def equality_totals(cohort_id: int):
    cohort = get_cohort(cohort_id)
    return recorded(render("workspace/equality.html", cohort=cohort,
                           totals=equality.totals(db.session, cohort.id),
                           rule=equality.RULE)[0], "cohort.equality_view", cohort.id)


def _filters() -> tuple[queries.Filters, dict, dict]:
    values, errors = load_form(ListFiltersSchema(), request.args)
    if errors:
        return queries.Filters(), values, errors
    return queries.Filters(stage=values["stage"], eligibility=values["eligibility"],
                           search=values["q"], sort=values["sort"],
                           descending=values["order"] == "desc", page=values["page"]), \
        values, {}


@bp.get("/<int:cohort_id>/applications")
@coordinator_required("applications:read")
def applications(cohort_id: int, bulk_errors: dict | None = None, result=None,
                 bulk_values: dict | None = None):
    cohort = get_cohort(cohort_id)
    filters, values, errors = _filters()
    rows, total = queries.list_rows(db.session, cohort.id, filters)
    counts = queries.stage_counts(db.session, cohort.id)
    settings = get_settings(db.session)
    reached = {row.id: messages.reached_by(row, settings) for row in rows}
    pages = max((total + queries.PER_PAGE - 1) // queries.PER_PAGE, 1)
    return recorded(render(
        "workspace/applications.html", 400 if errors or bulk_errors else 200,
        cohort=cohort, rows=rows, total=total, filters=filters, values=values,
        errors={**errors, **(bulk_errors or {})}, counts=counts, pages=pages, result=result,
        bulk=bulk_values or {}, reached=reached, **reason_context()),
        "application.list", cohort.id, {"count": len(rows)})


@bp.post("/<int:cohort_id>/applications")
@coordinator_required("decisions:write")
def bulk_action(cohort_id: int):
    cohort = get_cohort(cohort_id)
    values, errors = load_form(BulkActionSchema(), request.form, list_fields=("ids",))
    if not errors and values["action"] == "reject" and not values.get("reason_id"):
        errors = {"reason_id": "Choose a reason for turning the applications down"}
    if errors:
        return applications(cohort.id, bulk_errors=errors, bulk_values=values)
    actor = current_user.get_id()
    if values["action"] == "shortlist":
        result = service.shortlist(db.session, cohort.id, values["ids"], actor=actor)
    elif values["action"] == "invite":
        result = service.invite_to_interview(db.session, cohort.id, values["ids"], actor=actor,
                                             send_message=values["send_message"] == "yes")
    else:
        result = service.reject(db.session, cohort.id, values["ids"], actor=actor,
                                reason_id=values["reason_id"], note=values.get("note"),
                                disability_confident_reason=values.get("dc_reason"),
                                send_message=values["send_message"] == "yes")
    db.session.commit()
    return applications(cohort.id, result=result)


@bp.get("/<int:cohort_id>/applications/<int:application_id>")
@coordinator_required("applications:read")
def application_page(cohort_id: int, application_id: int, errors: dict | None = None,
                     values: dict | None = None):
    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    applicant = db.session.get(Applicant, application.applicant_id)
    from tenants.interviews.service import booking_for
    from tenants.workspace.entry import possible_duplicates

    context = dict(
        cohort=cohort, application=application, applicant=applicant,
        needs=applicant.communication_needs or {}, events=history(db.session, application.id),
        notes=service.notes(db.session, application.id),
        sent=service.messages_sent(db.session, application.id),
        booking=booking_for(db.session, application.id),
        duplicates=possible_duplicates(db.session, applicant),
        dc=service.is_disability_confident(application),
        reached_by=messages.reached_by(applicant, get_settings(db.session)),
        channel_labels=reach.LABELS, heard_via=dict(HEARD_VIA_CHOICES).get(application.heard_via),
        moves=pipeline.allowed_moves(application.stage), values=values or {},
        answers=answers_in_words_for(db.session, application.rule_set_version_id,
                                     application.answers),
        results=results_in_words(application.eligibility_results),
        outcome_words=OUTCOME_WORDS,
        decision_reason=decisions.decision_reason(db.session, application),
        conversation=decisions.open_request(db.session, application.id),
        can_see_sensitive=permits(current_user, "sensitive:read"), place=_place(application),
        eoi_due=responses.due(db.session, application), response_ways=responses.HOW,
        reply_by_latest=deadlines.latest_reply_by(db.session, application)[0]
        if application.stage in deadlines.REPLY_STAGES else None,
        error_ids={"reply_by": "reply_by-day"}, **reason_context())
    record("application.view", "application", application.id)
    db.session.commit()
    return render("workspace/application.html", 400 if errors else 200,
                  errors=errors or {}, **context)


def _place(application: Application) -> dict:
    """The place's conditions, override and deferral for the application page."""
    from tenants.training import deferral

    return {**place_conditions.standing(db.session, application.id),
            "deferral": deferral.latest(db.session, application.id),
            "cohort_of": lambda cohort_id: db.session.get(Cohort, cohort_id),
            "may_record": permits(current_user, "conditions:write"),
            "may_override": permits(current_user, "conditions_override:write"),
            "may_defer": application.stage in deferral.DEFERRABLE
            and permits(current_user, "training:write")}


def application_form(cohort_id: int, application_id: int, schema, apply, *, anchor: str = "",
                     shown: type[Refused] = pipeline.IllegalTransition):
    """Run one form of the application page (the workspace's own and those of other domains,
    e.g. conditions and deadlines): read it with `schema`, `apply(application, values)`, and
    commit; on bad input or a `shown` refusal, the page again with its error summary (other
    refusals go to the central handler, peerpath.errors)."""
    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    values, errors = load_form(schema, request.form)
    if not errors:
        try:
            apply(application, values)
        except shown as refused:
            db.session.rollback()
            errors = {GENERIC_FIELD: refused.message} if refused.field in (None, GENERIC_FIELD) \
                else refused.problems
    if errors:
        return application_page(cohort.id, application_id, errors=errors, values=values)
    db.session.commit()
    # A deferred place may have been reinstated in another cohort: follow it there.
    return redirect(url_for("workspace.application_page", cohort_id=application.cohort_id,
                            application_id=application_id) + anchor)


@bp.post("/<int:cohort_id>/applications/<int:application_id>/notes")
@coordinator_required("applications:write")
def add_note(cohort_id: int, application_id: int):
    return application_form(cohort_id, application_id, NoteSchema(), lambda a, v: service.add_note(
        db.session, a, v["body"], actor=current_user.get_id()))


@bp.post("/<int:cohort_id>/applications/<int:application_id>/eligibility")
@coordinator_required("decisions:write")
def override(cohort_id: int, application_id: int):
    return application_form(
        cohort_id, application_id, OverrideSchema(),
        lambda a, v: service.override_eligibility(db.session, a, outcome=v["outcome"],
                                                  reason=v["reason"],
                                                  actor=current_user.get_id()))


@bp.post("/<int:cohort_id>/applications/<int:application_id>/move")
@coordinator_required("decisions:write")
def move(cohort_id: int, application_id: int):
    if request.form.get("to") == "withdrawn" and not is_confirmed(request.form):
        values, errors = load_form(MoveSchema(), request.form)
        if not errors:
            return _confirm_withdrawal(cohort_id, application_id, values)

    def apply(application, values):
        if values["to"] == "not_shortlisted" and service.is_disability_confident(application) \
                and not (values.get("reason") or "").strip():
            raise pipeline.IllegalTransition(
                "Disability Confident: give the reason this applicant is not offered an "
                "interview")
        decisions.require_reason(values["to"], values.get("reason_id"))
        if values["to"] == "deferred":
            return _defer(application, values.get("reason"))
        transition(db.session, application, values["to"], actor=current_user.get_id(),
                   reason=values.get("reason"), notify=values["send_message"] == "yes",
                   reason_id=values.get("reason_id"))

    return application_form(cohort_id, application_id, MoveSchema(), apply)


def _defer(application: Application, reason: str | None) -> None:
    """A place is deferred by the deferral service (reinstated in a later cohort); an
    earlier stage simply moves to Deferred."""
    from tenants.training import deferral

    if application.stage not in deferral.DEFERRABLE:
        transition(db.session, application, "deferred", actor=current_user.get_id(),
                   reason=reason)
        return
    try:
        deferral.defer(db.session, application, actor=current_user.get_id(), reason=reason)
    except Refused as refused:
        raise pipeline.IllegalTransition(refused.message) from None


def _confirm_withdrawal(cohort_id: int, application_id: int, values: dict):
    cohort = get_cohort(cohort_id)
    application = get_application(cohort, application_id)
    page = url_for(".application_page", cohort_id=cohort.id, application_id=application.id)
    body = confirmation_page(Confirmation(
        title=f"Withdraw application {application.reference}?",
        consequences=(
            f"The application is no longer considered for {cohort.name}: it moves to "
            "Withdrawn.",
            "This is recorded in the application's history, with your reason.",
            "The applicant can apply again for a later cohort."),
        button="Yes, withdraw this application",
        action=url_for(".move", cohort_id=cohort.id, application_id=application.id),
        cancel_url=page, fields={"to": "withdrawn", "reason": values.get("reason") or "",
                                 "reason_id": values.get("reason_id") or ""}),
        layout="workspace/base.html", tenant=current_tenant(), errors={})
    return body


@bp.post("/<int:cohort_id>/applications/<int:application_id>/conversation-done")
@coordinator_required("applications:write")
def conversation_done(cohort_id: int, application_id: int):
    def apply(application, _values):
        try:
            decisions.mark_conversation_done(db.session, application.id,
                                             actor=current_user.get_id())
        except Refused as refused:
            raise pipeline.IllegalTransition(refused.message) from None

    return application_form(cohort_id, application_id, Lenient(), apply)


@bp.get("/<int:cohort_id>/pipeline.csv")
@coordinator_required("applications:read")
def export(cohort_id: int):
    cohort = get_cohort(cohort_id)
    body = service.pipeline_csv(db.session, cohort.id, actor=current_user.get_id())
    db.session.commit()
    return Response(body, content_type=spreadsheet.MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="cohort-{cohort.id}-pipeline.csv"',
        "Cache-Control": "no-store"})
