"""Questions and eligibility rule-set versions in the trust API."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts.forms import Refused, json_save
from tenants.eligibility import service
from tenants.eligibility.describe import describe_rule_set
from tenants.eligibility.forms import VersionSchema

bp = Blueprint("eligibility_api", __name__)


def version_json(version) -> dict:
    return {"id": version.id, "number": version.number, "note": version.note,
            "published_at": version.published_at.isoformat() if version.published_at else None,
            "created_at": version.created_at.isoformat() if version.created_at else None,
            "questions": version.questions, "rule_set": version.rule_set,
            "described": describe_rule_set(version.questions, version.rule_set)}


def _version(version_id: int):
    found = service.get_version(db.session, version_id)
    if found is None:
        abort(404, "Not found")
    return found


@bp.get("/questions")
@api_access("read")
def questions():
    """The EOI questions of the published version."""
    version = service.published_version(db.session)
    if version is None:
        abort(404, "No eligibility rules are published yet")
    return jsonify(version_id=version.id, questions=version.questions)


@bp.get("/eligibility/versions")
@api_access("read")
def versions():
    published = service.published_version(db.session)
    return jsonify(published_version_id=published.id if published else None,
                   versions=[version_json(v) for v in service.versions(db.session)])


@bp.get("/eligibility/versions/<int:version_id>")
@api_access("read")
def version(version_id: int):
    return jsonify(version_json(_version(version_id)))


@bp.post("/eligibility/versions")
@api_access("write")
def new_version():
    def save(data):
        try:
            return service.save_version(db.session, data["questions"], data["rule_set"],
                                        note=data["note"], publish=data["publish"])
        except service.InvalidRuleSet as invalid:
            raise Refused({"rule_set": invalid.problems}) from invalid

    return jsonify(version_json(json_save(VersionSchema(), save))), 201


@bp.post("/eligibility/versions/<int:version_id>/publish")
@api_access("write")
def publish(version_id: int):
    found = service.publish(db.session, _version(version_id))
    db.session.commit()
    return jsonify(version_json(found))


@bp.post("/eligibility/versions/<int:version_id>/preview")
@api_access("read")
def preview(version_id: int):
    """{"answers": {...}} -> the outcome and per-rule results; nothing is stored."""
    found = _version(version_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("answers", {}), dict):
        abort(400, 'Send JSON like {"answers": {"question_key": value}}')
    evaluation = service.preview(found, body.get("answers", {}))
    return jsonify(outcome=evaluation.outcome, results=evaluation.results)
