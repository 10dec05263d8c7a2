"""JSON API: a trust's applications, one application with its history, and transitions.

Lists carry no answers; the detail does (audited). Equality monitoring is never served here:
it is kept apart from selection.
"""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy import func, select

from peerpath.errors import error_response
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.applications import pipeline, service
from tenants.applications.models import Applicant, Application
from tenants.applications.schemas import TransitionSchema
from tenants.audit.service import record

bp = Blueprint("applications_api", __name__)
MAX_PER_PAGE = 100


def actor() -> str:
    return f"api_token:{g.api_token_id}"


def summary(application: Application) -> dict:
    return {"id": application.id, "reference": application.reference,
            "cohort_id": application.cohort_id, "stage": application.stage,
            "stage_label": pipeline.LABELS[application.stage],
            "eligibility_outcome": application.eligibility_outcome,
            "disability_confident": application.disability_confident,
            "channel": application.channel,
            "submitted_at": application.submitted_at.isoformat()
            if application.submitted_at else None}


def _int_arg(name: str, default: int | None, low: int = 1, high: int = 2**62) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError({name: [f"Must be a whole number from {low} to {high}"]})
    return int(raw)


@bp.get("/applications")
@api_access("read")
def list_applications():
    cohort_id = _int_arg("cohort_id", None)
    page, per_page = _int_arg("page", 1), _int_arg("per_page", 50, high=MAX_PER_PAGE)
    stage = request.args.get("stage")
    if stage is not None and stage not in pipeline.ALL_STAGES:
        raise ValidationError({"stage": ["Must be one of: " + ", ".join(pipeline.ALL_STAGES)]})
    query = select(Application)
    if cohort_id is not None:
        query = query.where(Application.cohort_id == cohort_id)
    if stage is not None:
        query = query.where(Application.stage == stage)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Application.id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    record("application.list", "application", None, actor=actor(),
           detail={"count": len(rows)})
    db.session.commit()
    return jsonify(items=[summary(a) for a in rows], page=page, per_page=per_page, total=total)


def _find(application_id: int) -> Application | None:
    return db.session.get(Application, application_id) if application_id < 2**62 else None


@bp.get("/applications/<int:application_id>")
@api_access("read")
def get_application(application_id: int):
    application = _find(application_id)
    if application is None:
        return error_response(404, "Not found")
    applicant = db.session.get(Applicant, application.applicant_id)
    record("application.view", "application", application.id, actor=actor())
    db.session.commit()
    return jsonify(detail(application, applicant))


def detail(application: Application, applicant: Applicant) -> dict:
    return {**summary(application),
            "applicant": {"id": applicant.id, "name": applicant.name, "email": applicant.email,
                          "phone": applicant.phone,
                          "communication_needs": applicant.communication_needs or {}},
            "answers": application.answers or {},
            "rule_set_version_id": application.rule_set_version_id,
            "eligibility_results": application.eligibility_results or [],
            "allowed_moves": pipeline.allowed_moves(application.stage),
            "history": [{"at": e.at.isoformat(), "actor": e.actor, "from": e.from_stage,
                         "to": e.to_stage, "reason": e.reason}
                        for e in service.history(db.session, application.id)]}


@bp.post("/applications/<int:application_id>/transitions")
@api_access("write")
def transition(application_id: int):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, "Send a JSON object, like {\"to\": \"shortlisted\"}")
    data = TransitionSchema().load(body)  # a ValidationError becomes a 422 with fields
    application = _find(application_id)
    if application is None:
        return error_response(404, "Not found")
    try:
        service.transition(db.session, application, data["to"], actor=actor(),
                           reason=data.get("reason"))
    except pipeline.IllegalTransition as refused:
        db.session.rollback()
        return error_response(409, refused.reason)
    db.session.commit()
    return jsonify(detail(application, db.session.get(Applicant, application.applicant_id)))
