"""JSON API: a trust's applications, one application with its history, and transitions.

Lists carry no answers; the detail does (audited). Equality monitoring is never served here:
it is kept apart from selection.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, abort, g
from marshmallow import Schema, fields
from sqlalchemy import select

from peerpath.api import api_operation, paginate, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications import decisions, equality, pipeline, service, timings
from tenants.applications.api_schemas import (
    ApplicationDetailSchema,
    ApplicationFilters,
    ApplicationSummarySchema,
)
from tenants.applications.models import Applicant, Application
from tenants.applications.schemas import TransitionSchema
from tenants.audit.service import record
from tenants.cohorts.forms import api_input, api_save, get_or_404
from tenants.cohorts.models import Cohort
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permits

bp = Blueprint("applications_api", __name__)


def find_application(application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None:
        abort(404, "No application with that id")
    return application


def token_owner_may(permission_name: str) -> bool:
    return permits(db.session.get(Coordinator, g.api_coordinator_id), permission_name)


def detail(application: Application) -> SimpleNamespace:
    """The application as ApplicationDetailSchema dumps it: with applicant and history; the
    answers only for a token owner who may read sensitive disclosures (as on the page)."""
    values = {c.key: getattr(application, c.key) for c in Application.__table__.columns}
    if not token_owner_may("sensitive:read"):
        values["answers"] = None
    return SimpleNamespace(**values,
                           applicant=db.session.get(Applicant, application.applicant_id),
                           history=service.history(db.session, application.id))


@bp.get("/applications")
@api_access("applications:read")
@api_operation(response=ApplicationSummarySchema, query=ApplicationFilters, paginated=True)
def list_applications(query):
    """List applications, optionally of one cohort or at one stage (no answers)."""
    statement = select(Application)
    if query.get("cohort_id") is not None:
        statement = statement.where(Application.cohort_id == query["cohort_id"])
    if query.get("stage") is not None:
        statement = statement.where(Application.stage == query["stage"])
    page = paginate(db.session, statement, Application.id, query)
    record("application.list", "application", None, actor=api_actor(),
           detail={"count": len(page.items)})
    db.session.commit()
    return page


@bp.get("/applications/<int:application_id>")
@api_access("applications:read")
@api_operation(response=ApplicationDetailSchema)
def get_application(application_id: int):
    """Get an application with the applicant, answers, history and allowed moves."""
    application = find_application(application_id)
    record("application.view", "application", application.id, actor=api_actor())
    db.session.commit()
    return detail(application)


class AnswersSchema(Schema):
    answers = fields.Dict(metadata={"description": "The applicant's answers"})


class EqualityAnswerSchema(Schema):
    answer = fields.String()
    count = fields.Integer(allow_none=True, metadata={
        "description": "How many people gave the answer; null where it is suppressed"})
    shown = fields.String(metadata={
        "description": "The count as the pages show it: a number, \"fewer than 5\", or "
                       "\"not shown\" where it would let a small count be worked out"})


class EqualityTotalSchema(Schema):
    key = fields.String()
    question = fields.String()
    total = fields.String(metadata={"description": "People who sent an EOI to the cohort"})
    answers = fields.List(fields.Nested(EqualityAnswerSchema))


@bp.get("/applications/<int:application_id>/answers")
@api_access("sensitive:read")
@api_operation(response=AnswersSchema)
def get_answers(application_id: int):
    """Get an application's answers (sensitive disclosures: the read is audited)."""
    application = find_application(application_id)
    record("application.answers_view", "application", application.id, actor=api_actor())
    db.session.commit()
    return {"answers": application.answers or {}}


@bp.get("/cohorts/<int:cohort_id>/equality")
@api_access("equality:read")
@api_operation(response=EqualityTotalSchema, many=True)
def equality_totals(cohort_id: int):
    """Equality monitoring totals of a cohort (aggregates only, never per person)."""
    cohort = get_or_404(Cohort, cohort_id)
    record("cohort.equality_view", "cohort", cohort.id, actor=api_actor())
    db.session.commit()
    return equality.totals(db.session, cohort.id)


@bp.post("/applications/<int:application_id>/transitions")
@api_access("decisions:write")
@api_operation(request=TransitionSchema, response=ApplicationDetailSchema, errors=(409,))
def transition(application_id: int, body):
    """Move an application to another stage.

    A move the pipeline does not allow is refused with the reason (409). A decision
    (not eligible, not shortlisted, not successful, withdrawn) needs `reason_id`, one of
    GET /reasons of that kind; `reason` then adds details. A place moved to `deferred`
    here waits for a later cohort to be set up; POST /applications/{id}/deferral moves it
    into a later cohort with room at once.
    """
    application = find_application(application_id)
    try:
        decisions.require_reason(body["to"], body.get("reason_id"))
        service.transition(db.session, application, body["to"], actor=api_actor(),
                           reason=body.get("reason"), notify=body["send_message"],
                           reason_id=body.get("reason_id"))
    except pipeline.IllegalTransition as refused:
        db.session.rollback()
        abort(409, refused.reason)
    db.session.commit()
    return detail(application)


class DeadlineSettingsOutSchema(Schema):
    eoi_response_working_days = fields.Integer(metadata={
        "description": "Respond to every expression of interest within this many working days"})
    reply_working_days = fields.Integer(metadata={
        "description": "Working days applicants have to answer an invitation or an offer"})
    updated_at = fields.AwareDateTime(allow_none=True)


@bp.get("/settings/deadlines")
@api_access("settings:read")
@api_operation(response=DeadlineSettingsOutSchema)
def get_deadline_settings():
    """Get the trust's response times: for EOIs, and for replies to invitations and offers
    (working days: weekends and England and Wales bank holidays do not count)."""
    return timings.current(db.session)


@bp.put("/settings/deadlines")
@api_access("settings:write")
@api_operation(request=api_input(timings.DeadlineSettingsSchema),
               response=DeadlineSettingsOutSchema, errors=(409,))
def put_deadline_settings(body):
    """Change the trust's response times (a lead's token; audited)."""
    require_if_match(timings.current(db.session))
    return api_save(lambda session: timings.save(session, body, actor=api_actor()))
