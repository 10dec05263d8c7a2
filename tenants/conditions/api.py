"""JSON API: the trust's conditions on a place, each place's conditions (recorded by staff),
and a lead's override to start training with conditions unmet. Permissions come from the
same table as the pages (tenants.coordinators.permissions)."""

from __future__ import annotations

from flask import Blueprint, abort
from marshmallow import Schema, fields

from peerpath.api import api_operation
from peerpath.extensions import db
from peerpath.refusal import Refused
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications.models import Application
from tenants.cohorts.forms import api_input, get_or_404
from tenants.conditions import service
from tenants.conditions.models import STATUSES, Condition
from tenants.conditions.schemas import (
    ConditionOverrideSchema,
    ConditionStatusSchema,
    ConditionWordingSchema,
)
from tenants.workspace.api import or_conflict

bp = Blueprint("conditions_api", __name__)
WordingInput = api_input(ConditionWordingSchema)  # one class: the document names it once


class ConditionOutSchema(Schema):
    id = fields.Integer()
    key = fields.String(metadata={"description": "Stable across versions"})
    version = fields.Integer()
    label = fields.String()
    waiting_for = fields.String(metadata={
        "description": "What the applicant reads after \u201cWe are waiting for\u201d"})


class PlaceConditionOutSchema(Schema):
    id = fields.Integer()
    condition = fields.Nested(ConditionOutSchema)
    status = fields.String(metadata={"enum": list(STATUSES)})
    recorded_at = fields.AwareDateTime(allow_none=True)
    recorded_by = fields.String(allow_none=True)


class OverrideOutSchema(Schema):
    reason = fields.String()
    overridden_by = fields.String()
    overridden_at = fields.AwareDateTime()


class PlaceConditionsSchema(Schema):
    application_id = fields.Integer()
    conditions = fields.List(fields.Nested(PlaceConditionOutSchema))
    may_start_training = fields.Boolean()
    override = fields.Nested(OverrideOutSchema, allow_none=True)


def _of_place(application: Application) -> dict:
    place = service.standing(db.session, application.id)
    return {"application_id": application.id, "conditions": place["conditions"],
            "may_start_training": place["may_start"], "override": place["override"]}


@bp.get("/conditions")
@api_access("settings:read")
@api_operation(response=ConditionOutSchema, many=True)
def list_conditions():
    """List the conditions a place offered now gets (retired ones are not listed)."""
    return service.current(db.session)


@bp.post("/conditions")
@api_access("settings:write")
@api_operation(request=WordingInput, response=ConditionOutSchema,
               status=201)
def add_condition(body):
    """Add a condition; places offered from now on get it."""
    condition = service.add(db.session, label=body["label"], waiting_for=body["waiting_for"],
                            actor=api_actor())
    db.session.commit()
    return condition


@bp.post("/conditions/<int:condition_id>/versions")
@api_access("settings:write")
@api_operation(request=WordingInput, response=ConditionOutSchema,
               status=201, errors=(409,))
def reword_condition(condition_id: int, body):
    """Reword a condition: its next version replaces it (places keep the words they got)."""
    condition = get_or_404(Condition, condition_id)
    newer = or_conflict(lambda: service.reword(
        db.session, condition, label=body["label"], waiting_for=body["waiting_for"],
        actor=api_actor()), Refused)
    db.session.commit()
    return newer


@bp.post("/conditions/<int:condition_id>/retire")
@api_access("settings:write")
@api_operation(status=204)
def retire_condition(condition_id: int):
    """Retire a condition: new places no longer get it; places that have it keep it."""
    service.retire(db.session, get_or_404(Condition, condition_id), actor=api_actor())
    db.session.commit()
    return None


@bp.get("/applications/<int:application_id>/conditions")
@api_access("applications:read")
@api_operation(response=PlaceConditionsSchema)
def place_conditions(application_id: int):
    """The conditions of an application's place, and whether training may start."""
    return _of_place(get_or_404(Application, application_id))


@bp.post("/applications/<int:application_id>/conditions/<int:place_condition_id>/status")
@api_access("conditions:write")
@api_operation(request=api_input(ConditionStatusSchema), response=PlaceConditionsSchema,
               errors=(404,))
def record_status(application_id: int, place_condition_id: int, body):
    """Record a condition of the place as pending, met or not met (dated, audited)."""
    application = get_or_404(Application, application_id)
    row = next((r for r in service.of_place(db.session, application.id)
                if r.id == place_condition_id), None) or abort(404, "No such condition")
    service.record_status(db.session, row, body["status"], actor=api_actor())
    db.session.commit()
    return _of_place(application)


@bp.post("/applications/<int:application_id>/conditions/override")
@api_access("conditions_override:write")
@api_operation(request=api_input(ConditionOverrideSchema), response=PlaceConditionsSchema,
               status=201, errors=(409,))
def override(application_id: int, body):
    """Let this person start training with conditions unmet (a lead, with a reason)."""
    application = get_or_404(Application, application_id)
    or_conflict(lambda: service.override(db.session, application, reason=body["reason"],
                                         actor=api_actor()), Refused)
    db.session.commit()
    return _of_place(application)
