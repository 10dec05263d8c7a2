"""The platform JSON API under /api/v1/platform/ (admin tokens), for scripted onboarding.

Same services and schemas as the console. Bad fields: 422 with a message per field;
malformed JSON: 400; a refused action (slug taken, offboarding preconditions): 409.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, jsonify, request, send_file, url_for

from peerpath.admin import offboarding, onboarding_runs, service
from peerpath.admin.auth import actor, admin_token_required, client_ip
from peerpath.admin.models import OnboardingRun, TrustExport, platform_session
from peerpath.admin.schemas import AuditFilterSchema, ConfirmOffboardSchema, OnboardTrustSchema
from peerpath.errors import error_response
from peerpath.tenancy import UnknownTenant

PLATFORM_API_PREFIX = "/api/v1/platform"

bp = Blueprint("platform_api", __name__)
bp.before_request(admin_token_required(lambda: None))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise MalformedJson()
    return body


class MalformedJson(Exception):
    pass


@bp.errorhandler(MalformedJson)
def malformed(_exc):
    return error_response(400, "Send a JSON object with Content-Type: application/json")


@bp.errorhandler(UnknownTenant)
def no_trust(_exc):
    return error_response(404, "No such trust")


def _run_json(run: OnboardingRun) -> dict:
    return {"id": run.id, "slug": run.slug, "status": run.status, "step": run.step,
            "error": run.error, "created_at": run.created_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None}


def _export_json(made: TrustExport) -> dict:
    return {"id": made.id, "file_name": made.file_name, "sha256": made.sha256,
            "size_bytes": made.size_bytes, "tables": made.tables,
            "created_at": made.created_at.isoformat(),
            "download": url_for("platform_api.download_export", slug=made.trust_slug,
                                export_id=made.id)}


@bp.get("/trusts")
def list_trusts():
    fleet = service.fleet_view()
    return jsonify(head=fleet.head, last_upgrade_run=fleet.last_run,
                   trusts=[{**asdict(t), "up_to_date": t.up_to_date} for t in fleet.trusts])


@bp.post("/trusts")
def create_trust():
    params = OnboardTrustSchema().load(_json_body())
    try:
        run = onboarding_runs.start(params, actor=actor(), ip=client_ip())
    except onboarding_runs.SlugTaken as exc:
        return error_response(409, str(exc))
    run = onboarding_runs.perform(run.id)
    if run.status != "succeeded":
        return error_response(409, run.error or "Onboarding failed", run=_run_json(run))
    return jsonify(run=_run_json(run)), 201


@bp.get("/onboarding/<int:run_id>")
def onboarding_run(run_id: int):
    run = onboarding_runs.get(run_id)
    return jsonify(_run_json(run)) if run else error_response(404, "No such onboarding run")


@bp.get("/trusts/<slug>")
def get_trust(slug: str):
    trust = service.find_trust(slug)
    with platform_session() as session:
        exports = offboarding.exports_for(session, slug)
    return jsonify(slug=trust.slug, display_name=trust.display_name, status=trust.status,
                   hosts=list(trust.hosts or ()), contact_email=trust.contact_email,
                   contact_phone=trust.contact_phone, exports=[_export_json(e) for e in exports])


@bp.post("/trusts/<slug>/suspend", defaults={"action": "suspend"})
@bp.post("/trusts/<slug>/resume", defaults={"action": "resume"})
def change_status(slug: str, action: str):
    status = service.change_status(slug, action, actor=actor(), ip=client_ip())
    return jsonify(slug=slug, status=status)


@bp.post("/trusts/<slug>/exports")
def export(slug: str):
    return jsonify(_export_json(offboarding.export_trust(slug, actor=actor(),
                                                         ip=client_ip()))), 201


@bp.get("/trusts/<slug>/exports/<int:export_id>")
def download_export(slug: str, export_id: int):
    with platform_session() as session:
        made = session.get(TrustExport, export_id)
    if made is None or made.trust_slug != slug or not offboarding.export_path(made).is_file():
        return error_response(404, "No such export")
    service.record(actor(), "trust.export_downloaded", target=slug, ip=client_ip(),
                   detail={"file": made.file_name})
    return send_file(offboarding.export_path(made), mimetype="application/zip",
                     as_attachment=True, download_name=made.file_name)


@bp.post("/trusts/<slug>/offboard")
def offboard(slug: str):
    values = ConfirmOffboardSchema().load(_json_body())
    try:
        offboarding.offboard(slug, values["confirmation"], actor=actor(), ip=client_ip())
    except offboarding.OffboardingRefused as exc:
        return error_response(409, str(exc))
    return jsonify(slug=slug, status="offboarded")


@bp.get("/audit")
def audit():
    filters = AuditFilterSchema().load(request.args.to_dict())
    return jsonify(entries=[
        {"id": e.id, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
         "target": e.target, "ip": str(e.ip) if e.ip else None, "detail": e.detail}
        for e in service.search_audit(**filters)])
