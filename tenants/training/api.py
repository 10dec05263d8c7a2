"""JSON API: offering a place, attendance per training day, outcomes after completion."""

from __future__ import annotations

from flask import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from peerpath.api import MAX_ID, api_operation, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications import pipeline
from tenants.applications.api_schemas import STAGE
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.cohorts.forms import api_input, conflict, get_or_404
from tenants.cohorts.models import TrainingDay
from tenants.training import deferral, service
from tenants.training.models import ATTENDANCE, OUTCOME_KINDS, Outcome
from tenants.training.schemas import OutcomeBodySchema
from tenants.workspace.api import or_conflict

bp = Blueprint("training_api", __name__)


class PlaceOfferedSchema(Schema):
    application_id = fields.Integer(attribute="id")
    stage = fields.String(metadata=STAGE)


class RegisterSchema(Schema):
    training_day_id = fields.Integer()
    statuses = fields.Dict(keys=fields.String(), values=fields.String(
        metadata={"enum": list(ATTENDANCE)}), metadata={
        "description": "application id -> attendance"})


class MarksSchema(Schema):
    statuses = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(
        ATTENDANCE, error="Choose present, absent or authorised absence")), required=True,
        metadata={"description": "application id -> attendance"})


class OutcomeOutSchema(Schema):
    application_id = fields.Integer()
    kind = fields.String(metadata={"enum": list(OUTCOME_KINDS)})
    detail = fields.String(allow_none=True)
    stage = fields.String(metadata=STAGE)


@bp.post("/applications/<int:application_id>/place-offer")
@api_access("training:write")
@api_operation(response=PlaceOfferedSchema, status=201, errors=(409,))
def offer(application_id: int):
    """Offer an application a training place (409 if the stage or capacity refuses)."""
    application = get_or_404(Application, application_id)
    or_conflict(lambda: service.offer_place(db.session, application, actor=api_actor()),
                service.Refused)
    db.session.commit()
    return application


def _register(day: TrainingDay) -> dict:
    marks = service.register(db.session, day)
    return {"training_day_id": day.id, "statuses": {str(k): v for k, v in marks.items()}}


def marks_by_id(statuses: dict[str, str]) -> dict[int, str]:
    wrong = [key for key in statuses if not (key.isascii() and key.isdigit()
                                             and 0 < int(key) <= MAX_ID)]
    if wrong:
        conflict({"statuses": {key: ["Not an application id"] for key in wrong}})
    return {int(key): status for key, status in statuses.items()}


@bp.get("/training-days/<int:day_id>/attendance")
@api_access("training:read")
@api_operation(response=RegisterSchema)
def attendance(day_id: int):
    """Get the attendance register of a training day (the read is audited)."""
    day = get_or_404(TrainingDay, day_id)
    record("training.register_view", "training_day", day.id, actor=api_actor())
    db.session.commit()
    return _register(day)


@bp.put("/training-days/<int:day_id>/attendance")
@api_access("training:write")
@api_operation(request=MarksSchema, response=RegisterSchema, errors=(409,))
def mark(day_id: int, body):
    """Mark attendance on a training day; people not in training on it are skipped.

    A key that is not an application id is a 409.
    """
    day = get_or_404(TrainingDay, day_id)
    require_if_match(_register(day))
    statuses = marks_by_id(body["statuses"])
    service.mark_attendance(db.session, day, statuses, actor=api_actor())
    db.session.commit()
    return _register(day)


def _outcome(application: Application) -> dict | None:
    row = db.session.scalar(select(Outcome).where(Outcome.application_id == application.id)
                            .order_by(Outcome.recorded_at.desc(), Outcome.id.desc()).limit(1))
    return row and {"application_id": application.id, "kind": row.kind, "detail": row.detail,
                    "stage": application.stage}


@bp.get("/applications/<int:application_id>/outcome")
@api_access("training:read")
@api_operation(response=OutcomeOutSchema)
def get_outcome(application_id: int):
    """Get what someone went on to after the training (the newest outcome heard)."""
    found = _outcome(get_or_404(Application, application_id))
    return found or abort(404, "No outcome is recorded")


@bp.put("/applications/<int:application_id>/outcome")
@api_access("training:write")
@api_operation(request=api_input(OutcomeBodySchema),
               response=OutcomeOutSchema, errors=(409,))
def outcome(application_id: int, body):
    """Record what someone went on to after completing the training.

    For a first outcome send `If-Match: *`. Before completion it is a 409. The new outcome
    becomes the current one; earlier ones are kept in the outcome history.
    """
    application = get_or_404(Application, application_id)
    require_if_match(_outcome(application))
    or_conflict(lambda: service.record_outcome(
        db.session, application, kind=body["kind"], detail=body.get("detail"),
        actor=api_actor()), service.Refused, pipeline.IllegalTransition)
    db.session.commit()
    return _outcome(application)


class DeferralBodySchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500),
                           metadata={"description": "Why the place is deferred"})


class DeferralOutSchema(Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    from_cohort_id = fields.Integer()
    to_cohort_id = fields.Integer(allow_none=True, metadata={
        "description": "Empty while it waits for a later cohort with a place free"})
    stage_held = fields.String(metadata=STAGE)
    reason = fields.String(allow_none=True)
    deferred_at = fields.AwareDateTime()
    reinstated_at = fields.AwareDateTime(allow_none=True)


@bp.post("/applications/<int:application_id>/deferral")
@api_access("training:write")
@api_operation(request=DeferralBodySchema, response=DeferralOutSchema, status=201,
               errors=(409,))
def defer(application_id: int, body):
    """Defer a place offered or accepted to the next cohort of the same course (reinstated
    at once if that cohort has a place free, otherwise when one is set up)."""
    application = get_or_404(Application, application_id)
    made = or_conflict(lambda: deferral.defer(db.session, application, actor=api_actor(),
                                              reason=body["reason"]),
                       service.Refused, pipeline.IllegalTransition)
    db.session.commit()
    db.session.refresh(made)
    return made


@bp.get("/cohorts/<int:cohort_id>/deferrals")
@api_access("training:read")
@api_operation(response=DeferralOutSchema, many=True)
def cohort_deferrals(cohort_id: int):
    """Deferred places reinstated in this cohort and still held there."""
    from tenants.cohorts.models import Cohort

    get_or_404(Cohort, cohort_id)
    return [row for row, _ in deferral.reinstated_in(db.session, cohort_id)]
