"""JSON API: the reasons a decision may be given with, and how often each was given."""

from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields, validate

from peerpath.api import api_operation
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.applications.decisions import counts_by_stage_and_reason
from tenants.reasons import service

bp = Blueprint("reasons_api", __name__)


class ReasonOutSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "The stage the decision moves to"})
    key = fields.String()
    version = fields.Integer()
    label = fields.String()
    feedback = fields.String(metadata={"description": "What the applicant reads"})


class ReasonCountSchema(Schema):
    stage = fields.String()
    key = fields.String()
    label = fields.String()
    count = fields.Integer()


class ReasonCountQuery(Schema):
    cohort_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=2**62))


@bp.get("/reasons")
@api_access("applications:read")
@api_operation(response=ReasonOutSchema, many=True)
def list_reasons():
    """List the reasons that may be chosen now (retired ones are not offered)."""
    return service.current(db.session)


@bp.get("/reports/reasons")
@api_access("applications:read")
@api_operation(response=ReasonCountSchema, query=ReasonCountQuery, many=True)
def reason_counts(query):
    """Count decisions by stage and reason, for one cohort or all."""
    return counts_by_stage_and_reason(db.session, query.get("cohort_id"))
