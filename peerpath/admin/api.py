"""The platform JSON API under /api/v1/platform/ (admin tokens), for scripted onboarding.

Same services as the console, and the conventions of the trust API (peerpath.api):
`@admin_api_access` (an admin token, per-token rate limits) above `@api_operation`
(marshmallow schemas, 400 for a body that is not JSON, 422 naming each bad field, lists
paged with a cursor), 404 for a trust or record that does not exist, 409 for a refused
action (slug taken, onboarding failed, offboarding preconditions). Every operation is in
the OpenAPI document and fuzzed (tests/admin/test_platform_api_fuzzing.py).
URL variables are named `slug`, not `trust_slug`, so no request here enters a trust.
"""

from __future__ import annotations

from flask import Blueprint, abort

from peerpath.admin import offboarding, onboarding_runs, service
from peerpath.admin.api_schemas import (
    AuditEntrySchema,
    FleetSchema,
    OnboardedSchema,
    OnboardingRunSchema,
    PlatformTrustSchema,
    TrustExportSchema,
    TrustHealthSchema,
    TrustStatusSchema,
)
from peerpath.admin.auth import actor, admin_api_access, client_ip
from peerpath.admin.models import platform_session
from peerpath.admin.schemas import AuditPageQuery, ConfirmOffboardSchema, OnboardTrustSchema
from peerpath.api import API_PREFIX, api_operation
from peerpath.errors import error_response
from peerpath.tenancy import UnknownTenant

PLATFORM_API_PREFIX = API_PREFIX + "/platform"

bp = Blueprint("platform_api", __name__)


@bp.errorhandler(UnknownTenant)
def no_trust(_exc):
    return error_response(404, "No such trust")


@bp.get("/fleet")
@admin_api_access
@api_operation(response=FleetSchema)
def fleet():
    """The fleet's schema head and the last upgrade.

    The tenant schema version this code expects, and the last `peerpath trusts upgrade`
    (each trust's own result is in the trusts list).
    """
    return service.fleet_summary()


@bp.get("/trusts")
@admin_api_access
@api_operation(response=TrustHealthSchema, paginated=True)
def list_trusts(query):
    """List the trusts with their health.

    Every trust in the registry, offboarded ones included, in the order they were
    onboarded: status, schema version, and counts (never applicant data).
    """
    return service.trust_health_page(query)


@bp.post("/trusts")
@admin_api_access
@api_operation(request=OnboardTrustSchema, response=OnboardedSchema, status=201,
               errors=(409,))
def create_trust(body):
    """Onboard a trust.

    Creates the trust's schema, role and starting configuration, and invites its first
    lead coordinator, before answering. A slug already taken, or a failure (which leaves
    nothing behind), is a 409 whose message says why and names the onboarding run.
    """
    try:
        run = onboarding_runs.start(body, actor=actor(), ip=client_ip())
    except onboarding_runs.SlugTaken as exc:
        abort(409, str(exc))
    run = onboarding_runs.perform(run.id)
    if run.status != "succeeded":
        abort(409, f"{run.error or 'Onboarding failed'} (onboarding run {run.id}: "
                   f"GET {PLATFORM_API_PREFIX}/onboarding/{run.id})")
    return {"run": run}


@bp.get("/onboarding/<int:run_id>")
@admin_api_access
@api_operation(response=OnboardingRunSchema)
def onboarding_run(run_id: int):
    """Get an onboarding run: how far it got, and why it failed."""
    return onboarding_runs.get(run_id) or abort(404, "No such onboarding run")


@bp.get("/trusts/<slug>")
@admin_api_access
@api_operation(response=PlatformTrustSchema)
def get_trust(slug: str):
    """Get a trust: its registry entry and data exports."""
    trust = service.find_trust(slug)
    with platform_session() as session:
        exports = offboarding.exports_for(session, slug)
    return {"slug": trust.slug, "display_name": trust.display_name, "status": trust.status,
            "hosts": list(trust.hosts or ()), "contact_email": trust.contact_email,
            "contact_phone": trust.contact_phone, "exports": exports}


@bp.post("/trusts/<slug>/suspend")
@admin_api_access
@api_operation(response=TrustStatusSchema)
def suspend_trust(slug: str):
    """Suspend a trust.

    Its pages and API answer 503 and its workers skip its jobs until it is resumed.
    An offboarded trust is a 404.
    """
    return {"slug": slug, "status": service.change_status(slug, "suspend", actor=actor(),
                                                          ip=client_ip())}


@bp.post("/trusts/<slug>/resume")
@admin_api_access
@api_operation(response=TrustStatusSchema)
def resume_trust(slug: str):
    """Resume a suspended trust."""
    return {"slug": slug, "status": service.change_status(slug, "resume", actor=actor(),
                                                          ip=client_ip())}


@bp.post("/trusts/<slug>/exports")
@admin_api_access
@api_operation(response=TrustExportSchema, status=201)
def export(slug: str):
    """Export a trust's data.

    A zip of CSV and JSON per table, with a manifest and SHA256SUMS, for hand-back to the
    trust; `download` says where to fetch it.
    """
    return offboarding.export_trust(slug, actor=actor(), ip=client_ip())


@bp.get("/trusts/<slug>/exports/<int:export_id>")
@admin_api_access
@api_operation(file="application/zip")
def download_export(slug: str, export_id: int):
    """Download a data export (the zip)."""
    return offboarding.send_export(slug, export_id, actor=actor(), ip=client_ip())


@bp.post("/trusts/<slug>/offboard")
@admin_api_access
@api_operation(request=ConfirmOffboardSchema, response=TrustStatusSchema, errors=(409,))
def offboard(slug: str, body):
    """Offboard a trust: drop its schema and role.

    The trust must be suspended, with a data export made since, and `confirmation` must
    be its slug (409 otherwise). The registry keeps a tombstone.
    """
    try:
        offboarding.offboard(slug, body["confirmation"], actor=actor(), ip=client_ip())
    except offboarding.OffboardingRefused as exc:
        abort(409, str(exc))
    return {"slug": slug, "status": "offboarded"}


@bp.get("/audit")
@admin_api_access
@api_operation(response=AuditEntrySchema, query=AuditPageQuery, paginated=True)
def audit(query):
    """List the platform audit log, newest first.

    Every admin action: who, when, what, from where. Filter by actor, action, trust and
    dates (inclusive).
    """
    return service.audit_page(query)
