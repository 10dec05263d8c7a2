"""JSON API: offering a place, attendance per training day, outcomes after completion."""

from __future__ import annotations

from flask import Blueprint, jsonify

from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.applications import pipeline
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.cohorts.models import TrainingDay
from tenants.training import service
from tenants.training.schemas import AttendanceSchema, OutcomeSchema
from tenants.workspace.api import actor, attempt, body, find

bp = Blueprint("training_api", __name__)


@bp.post("/applications/<int:application_id>/place-offer")
@api_access("write")
def offer(application_id: int):
    application = find(Application, application_id)
    _, refused = attempt(lambda: service.offer_place(db.session, application, actor=actor()),
                         service.Refused)
    if refused:
        return refused
    db.session.commit()
    return jsonify({"application_id": application.id, "stage": application.stage}), 201


@bp.get("/training-days/<int:day_id>/attendance")
@api_access("read")
def attendance(day_id: int):
    day = find(TrainingDay, day_id)
    marks = service.register(db.session, day)
    record("training.register_view", "training_day", day.id, actor=actor())
    db.session.commit()
    return jsonify(training_day_id=day.id, statuses={str(k): v for k, v in marks.items()})


@bp.put("/training-days/<int:day_id>/attendance")
@api_access("write")
def mark(day_id: int):
    day = find(TrainingDay, day_id)
    data = body(AttendanceSchema())
    service.mark_attendance(db.session, day, data["statuses"], actor=actor())
    db.session.commit()
    return attendance(day_id)


@bp.put("/applications/<int:application_id>/outcome")
@api_access("write")
def outcome(application_id: int):
    application = find(Application, application_id)
    data = body(OutcomeSchema(partial=("application_id",)))
    _, refused = attempt(lambda: service.record_outcome(
        db.session, application, kind=data["kind"], detail=data.get("detail"), actor=actor()),
        service.Refused, pipeline.IllegalTransition)
    if refused:
        return refused
    db.session.commit()
    return jsonify({"application_id": application.id, "kind": data["kind"],
                    "stage": application.stage})
