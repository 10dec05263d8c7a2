"""Questions and eligibility rule-set versions in the trust API."""

from __future__ import annotations

from flask import Blueprint, abort
from marshmallow import RAISE, Schema, fields
from sqlalchemy import select

from peerpath.api import api_operation, paginate
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts.forms import ConflictChecks, api_save, get_or_404
from tenants.cohorts.records import Refused
from tenants.eligibility import service
from tenants.eligibility.describe import describe_rule_set
from tenants.eligibility.forms import VersionSchema
from tenants.eligibility.models import EligibilityVersion

bp = Blueprint("eligibility_api", __name__)
OBJECTS = {"type": "array", "items": {"type": "object"}}


class QuestionsSchema(Schema):
    version_id = fields.Integer(attribute="id")
    questions = fields.List(fields.Dict())


class VersionOutSchema(QuestionsSchema):
    id = fields.Integer()
    number = fields.Integer()
    note = fields.String(allow_none=True)
    published_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True)
    rule_set = fields.Dict()
    described = fields.Function(lambda v: describe_rule_set(v.questions, v.rule_set),
                                metadata=OBJECTS)

    class Meta:
        exclude = ("version_id",)


class StrictBoolean(fields.Boolean):
    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class VersionInputSchema(ConflictChecks, VersionSchema):
    """A new version through the API: questions and rules as JSON, not as text."""

    questions = fields.List(fields.Dict(), required=True)
    rule_set = fields.Dict(required=True)
    publish = StrictBoolean(load_default=False)

    class Meta:
        unknown = RAISE

    def _parse_json_text(self, data, **kwargs):  # not a pre_load hook here
        return data


class PreviewSchema(Schema):
    answers = fields.Dict(keys=fields.String(), load_default=dict,
                          metadata={"description": "question key -> sample answer"})


class EvaluationSchema(Schema):
    outcome = fields.String(metadata={"enum": ["eligible", "not_eligible", "needs_review"]})
    results = fields.List(fields.Dict(), metadata={
        "description": "Per rule: key, outcome (pass/fail/undecided), reason"})


def _version(version_id: int) -> EligibilityVersion:
    return get_or_404(EligibilityVersion, version_id)


@bp.get("/questions")
@api_access("settings:read")
@api_operation(response=QuestionsSchema)
def questions():
    """The EOI questions of the published version."""
    version = service.published_version(db.session)
    if version is None:
        abort(404, "No eligibility rules are published yet")
    return version


@bp.get("/eligibility/versions")
@api_access("settings:read")
@api_operation(response=VersionOutSchema, paginated=True)
def versions(query):
    """List the rule-set versions, newest first."""
    return paginate(db.session, select(EligibilityVersion), EligibilityVersion.id, query,
                    descending=True)


@bp.get("/eligibility/versions/<int:version_id>")
@api_access("settings:read")
@api_operation(response=VersionOutSchema)
def version(version_id: int):
    """Get a rule-set version."""
    return _version(version_id)


def _save_version(session, data):
    try:
        return service.save_version(session, data["questions"], data["rule_set"],
                                    note=data["note"], publish=data["publish"])
    except service.InvalidRuleSet as invalid:
        raise Refused({"rule_set": invalid.problems}) from invalid


@bp.post("/eligibility/versions")
@api_access("settings:write")
@api_operation(request=VersionInputSchema, response=VersionOutSchema, status=201,
               errors=(409,))
def new_version(body):
    """Save questions and rules as a new version (a draft unless `publish`).

    An invalid rule set is refused with each problem under `rule_set` (409).
    """
    return api_save(_save_version, body)


@bp.post("/eligibility/versions/<int:version_id>/publish")
@api_access("settings:write")
@api_operation(response=VersionOutSchema)
def publish(version_id: int):
    """Publish a version: new applications are judged against it."""
    found = service.publish(db.session, _version(version_id))
    db.session.commit()
    return found


@bp.post("/eligibility/versions/<int:version_id>/preview")
@api_access("settings:read")
@api_operation(request=PreviewSchema, response=EvaluationSchema)
def preview(version_id: int, body):
    """What a version decides for sample answers; nothing is stored."""
    return service.preview(_version(version_id), body["answers"])
