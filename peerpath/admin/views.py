"""The platform admin console at /admin/: trusts, onboarding, offboarding, audit, admins,
tokens.

Admins manage trusts; no page here reads applicants' answers (figures are counts only).
URL variables are named `slug`, not `trust_slug`, so the console never enters a tenant
and keeps working for suspended trusts.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from peerpath.admin import accounts, offboarding, onboarding_runs, people, service, tokens
from peerpath.admin.auth import actor, client_ip, enter_platform_realm, platform_admin_required
from peerpath.admin.charts import weekly_bars
from peerpath.admin.models import platform_session
from peerpath.admin.schemas import (
    AuditFilterSchema,
    ConfirmOffboardSchema,
    NewAdminFormSchema,
    NewTokenSchema,
    OnboardTrustFormSchema,
)
from peerpath.confirm import Confirmation, confirmation_page, is_confirmed
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.refusal import Refused
from peerpath.tenancy import UnknownTenant

bp = Blueprint("admin", __name__, template_folder="templates")
bp.before_request(enter_platform_realm)


# The console's areas, in the header on every page (there is one admin role, so every
# admin sees all of them); `within` marks the current area on its detail pages.
CONSOLE_AREAS = (
    ("Trusts and fleet", "admin.trusts", ("admin.trusts", "admin.trust")),
    ("Onboard a trust", "admin.onboard", ("admin.onboard", "admin.onboarding_run")),
    ("Audit log", "admin.audit", ("admin.audit",)),
    ("Admins", "admin.admins", ("admin.admins",)),
    ("API tokens", "admin.api_tokens", ("admin.api_tokens",)),
)
CONSOLE_PARENTS = {"admin.trust": ("admin.trusts", "Trusts"),
                   "admin.onboarding_run": ("admin.onboard", "Onboard a trust")}


@bp.context_processor
def navigation():
    if getattr(current_user, "realm", None) != "platform":
        return {}
    parent = CONSOLE_PARENTS.get(request.endpoint)
    return {"header_navigation": {"ariaLabel": "Console", "items": [
        {"href": url_for(endpoint), "text": text, "current": request.endpoint in within}
        for text, endpoint, within in CONSOLE_AREAS]},
        "admin_email": current_user.email,
        "breadcrumb_trail": [{"href": url_for(parent[0]), "text": parent[1]}] if parent else []}


@bp.get("/")
@platform_admin_required
def home():
    return redirect(url_for("admin.trusts"))


@bp.get("/trusts")
@platform_admin_required
def trusts():
    fleet = service.fleet_view()
    return render_template("admin/trusts.html", fleet=fleet, chart=weekly_bars)


@bp.route("/trusts/new", methods=["GET", "POST"])
@platform_admin_required
def onboard():
    values, errors = {"template": "standard"}, {}
    if request.method == "POST":
        values, errors = load_form(OnboardTrustFormSchema(), request.form)
        if not errors:
            try:
                run = onboarding_runs.start_in_background(values, actor=actor(), ip=client_ip())
            except onboarding_runs.SlugTaken as exc:
                errors = {"slug": str(exc)}
            else:
                return redirect(url_for("admin.onboarding_run", run_id=run.id))
        values = dict(request.form)
    return render_template("admin/onboard.html", values=values, errors=errors,
                           templates=onboarding_runs.TEMPLATES), (400 if errors else 200)


@bp.get("/onboarding/<int:run_id>")
@platform_admin_required
def onboarding_run(run_id: int):
    run = onboarding_runs.get(run_id)
    if run is None:
        abort(404)
    return render_template("admin/onboarding_run.html", run=run)


def _trust_or_404(slug: str):
    try:
        return service.find_trust(slug)
    except UnknownTenant:
        abort(404)


def _trust_page(slug: str, errors: dict | None = None, status: int = 200, **values):
    trust = _trust_or_404(slug)
    with platform_session() as session:
        exports = offboarding.exports_for(session, slug)
    return render_template("admin/trust.html", trust=trust, exports=exports,
                           errors=errors or {}, values=values), status


@bp.get("/trusts/<slug>")
@platform_admin_required
def trust(slug: str):
    return _trust_page(slug)


@bp.post("/trusts/<slug>/status")
@platform_admin_required
def change_status(slug: str):
    action = request.form.get("action")
    if action not in service.STATUS_ACTIONS:
        return _trust_page(slug, {GENERIC_FIELD: "Choose to suspend or resume the trust"}, 400)
    if action == "suspend" and not is_confirmed(request.form):
        return confirmation_page(Confirmation(
            title=f"Suspend {slug}?",
            consequences=(
                "Everyone who opens the trust's pages, applicants and staff, sees a notice "
                "that the service is unavailable for now.",
                "Its background jobs stop: messages and reminders wait until it is resumed.",
                "Nothing is deleted. You can resume the trust from its page at any time."),
            button="Yes, suspend the trust", action=url_for("admin.change_status", slug=slug),
            cancel_url=url_for("admin.trust", slug=slug), fields={"action": action}),
            layout="admin/base.html")
    try:
        status = service.change_status(slug, action, actor=actor(), ip=client_ip())
    except UnknownTenant:
        abort(404)
    flash(f"The trust is now {status}.")
    return redirect(url_for("admin.trust", slug=slug))


@bp.post("/trusts/<slug>/export")
@platform_admin_required
def export(slug: str):
    try:
        made = offboarding.export_trust(slug, actor=actor(), ip=client_ip())
    except UnknownTenant:
        abort(404)
    # Shown on this page only (no redirect): the passphrase is stored nowhere, not even in
    # a flashed message in the session cookie.
    return render_template("admin/export_made.html", slug=slug, made=made,
                           rows=sum(made.tables.values()))


@bp.get("/trusts/<slug>/exports/<int:export_id>")
@platform_admin_required
def download_export(slug: str, export_id: int):
    return offboarding.send_export(slug, export_id, actor=actor(), ip=client_ip())


@bp.post("/trusts/<slug>/offboard")
@platform_admin_required
def offboard(slug: str):
    values, errors = load_form(ConfirmOffboardSchema(), request.form)
    if not errors:
        try:
            offboarding.offboard(slug, values["confirmation"], actor=actor(), ip=client_ip())
        except offboarding.OffboardingRefused as exc:
            errors = {"confirmation": str(exc)}
        except UnknownTenant:
            abort(404)
        else:
            flash(f"{slug} was offboarded: its schema and role are gone; the registry keeps "
                  "a tombstone.")
            return redirect(url_for("admin.trusts"))
    return _trust_page(slug, errors, 400, confirmation=request.form.get("confirmation", ""))


@bp.get("/audit")
@platform_admin_required
def audit():
    values, errors = load_form(AuditFilterSchema(), request.args)
    entries = [] if errors else service.search_audit(**values)
    return render_template("admin/audit.html", entries=entries, errors=errors,
                           filters=request.args, actions=service.audit_actions(),
                           page_size=service.AUDIT_PAGE_SIZE), (400 if errors else 200)


@bp.route("/api-tokens", methods=["GET", "POST"])
@platform_admin_required
def api_tokens():
    values, errors, new_token = {}, {}, None
    if request.method == "POST":
        values, errors = load_form(NewTokenSchema(), request.form)
        if not errors:
            token, new_token = tokens.issue(current_user.admin_id, values["name"],
                                            values["days"])
            service.record(actor(), "admin.api_token_issued", ip=client_ip(),
                           detail={"token": token.id})
            values = {}
    return render_template("admin/api_tokens.html", values=values, errors=errors,
                           new_token=new_token, tokens=tokens.tokens_of(current_user.admin_id),
                           ), (400 if errors else 200)


@bp.post("/api-tokens/<int:token_id>/revoke")
@platform_admin_required
def revoke_token(token_id: int):
    if tokens.revoke(current_user.admin_id, token_id):
        service.record(actor(), "admin.api_token_revoked", ip=client_ip(),
                       detail={"token": token_id})
        flash("The token was revoked.")
    return redirect(url_for("admin.api_tokens"))


def _admins_page(errors: dict | None = None, status: int = 200, **context):
    return render_template("admin/admins.html", admins=accounts.every_admin(),
                           errors=errors or {}, me=current_user.admin_id,
                           **context), status


@bp.route("/admins", methods=["GET", "POST"])
@platform_admin_required
def admins():
    if request.method == "GET":
        return _admins_page(values={})
    values, errors = load_form(NewAdminFormSchema(), request.form)
    if not errors:
        try:
            password = people.add_admin(values["email"], actor=actor(), ip=client_ip())
        except Refused as exc:
            errors = exc.problems
        else:
            # Shown on this page only (no redirect), like a new API token: the password
            # is stored nowhere else, not even in a flashed message in the session cookie.
            return _admins_page(values={}, added={"email": values["email"],
                                                  "password": password})
    return _admins_page(errors, 400, values=dict(request.form))


@bp.post("/admins/<int:admin_id>/deactivate")
@platform_admin_required
def deactivate_admin(admin_id: int):
    admin = accounts.get(admin_id)
    if admin is None:
        abort(404)
    if admin.id != current_user.admin_id and admin.active and \
            not is_confirmed(request.form):
        return confirmation_page(Confirmation(
            title=f"Deactivate {admin.email}?",
            consequences=(
                f"{admin.email} is signed out everywhere and can no longer sign in to the "
                "console.",
                "Their API tokens stop working.",
                "Their entries in the audit log stay. The address cannot be added again."),
            button="Yes, deactivate this admin",
            action=url_for("admin.deactivate_admin", admin_id=admin.id),
            cancel_url=url_for("admin.admins")), layout="admin/base.html")
    try:
        people.deactivate_admin(admin.id, by_admin_id=current_user.admin_id, actor=actor(),
                                ip=client_ip())
    except Refused as exc:
        return _admins_page({GENERIC_FIELD: exc.message}, 409, values={})
    flash(f"{admin.email} was deactivated.")
    return redirect(url_for("admin.admins"))
