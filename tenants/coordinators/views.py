"""Coordinator sign-in (password, then a code or first-time set-up), sign-out, and home."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from peerpath import grants, sessions
from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.tenancy import current_tenant
from peerpath.throttle import SignInThrottle, minutes
from tenants.applications import responses
from tenants.coordinators import signin, team
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permits
from tenants.coordinators.schemas import (
    CodeSchema,
    RecoveryCodeSchema,
    SetPasswordSchema,
    SignInSchema,
)

bp = Blueprint("coordinators", __name__, template_folder="templates")

SIGN_IN_FAILED = "Enter a correct email address and password"
CODE_FAILED = "Enter a correct code"
START_AGAIN = "Too many wrong codes, or you took too long. Sign in again."


def _safe_next(target: str | None) -> str:
    """Only same-site paths inside this trust, so a link cannot bounce someone elsewhere."""
    default = url_for("coordinators.home")
    if not target:
        return default
    parts = urlsplit(target)
    prefix = f"/trusts/{current_tenant().slug}/"
    if parts.scheme or parts.netloc or not parts.path.startswith(prefix):
        return default
    return target


def _page(template: str, errors: dict, status: int | None = None, **context):
    status = status or (400 if errors else 200)
    response = make_response(render_template(template, errors=errors, tenant=current_tenant(),
                                             **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _throttled(template: str, wait: int, **context):
    message = f"You have tried too many times. Wait {minutes(wait)} and try again."
    response = _page(template, {GENERIC_FIELD: message}, 429, **context)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(SignInSchema(), request.form)
        password = values.pop("password", "")  # never typed back into the page
        if not errors:
            throttle = SignInThrottle(signin.REALM, current_tenant().slug, values["email"])
            wait = throttle.retry_after()
            if wait:
                return _throttled("coordinators/sign_in.html", wait,
                                  values={"email": values["email"]})
            coordinator = signin.check_password(db.session, values["email"], password)
            if coordinator is not None:
                stage = signin.begin_second_step(coordinator, _safe_next(request.args.get("next")))
                db.session.commit()
                return redirect(url_for("coordinators.two_factor" if stage == signin.VERIFY
                                        else "coordinators.set_up_two_factor"))
            throttle.failed()
            db.session.commit()
            errors = {GENERIC_FIELD: SIGN_IN_FAILED, "email": SIGN_IN_FAILED}
            values = {"email": values["email"]}
    return _page("coordinators/sign_in.html", errors, values=values)


def _second_step(stage: str, template: str, schema, accept, method: str, **context):
    """The shared shape of every code page: pending check, throttle, code, sign-in."""
    found = signin.pending_coordinator(db.session, stage)
    if found is None:
        return redirect(url_for("coordinators.sign_in"))
    coordinator, pending = found
    context = {**context, **(signin.enrolment_details(coordinator, pending)
                             if stage == signin.ENROL else {})}
    errors = {}
    if request.method == "POST":
        _, errors = load_form(schema, request.form)
        if not errors:
            throttle = SignInThrottle(signin.REALM, current_tenant().slug, coordinator.email)
            wait = throttle.retry_after()
            if wait:
                return _throttled(template, wait, **context)
            accepted = accept(coordinator, pending, request.form["code"])
            if accepted is not None:
                signin.complete_sign_in(db.session, coordinator, method=method)
                db.session.commit()
                if stage == signin.ENROL:
                    return _page("coordinators/recovery_codes.html", {}, codes=accepted,
                                 next_url=pending.get("next") or url_for("coordinators.home"))
                return redirect(pending.get("next") or url_for("coordinators.home"))
            throttle.failed()
            may_retry = signin.code_failed(db.session, coordinator, method)
            db.session.commit()
            if not may_retry:
                return _page("coordinators/sign_in.html", {GENERIC_FIELD: START_AGAIN}, 400,
                             values={})
            errors = {GENERIC_FIELD: CODE_FAILED, "code": CODE_FAILED}
    return _page(template, errors, **context)


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
def two_factor():
    def accept(coordinator, _pending, code):
        return True if signin.verify_code(coordinator, code) else None

    return _second_step(signin.VERIFY, "coordinators/two_factor.html", CodeSchema(), accept,
                        "totp")


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
def recovery_code():
    def accept(coordinator, _pending, code):
        return True if signin.use_recovery_code(db.session, coordinator, code) else None

    return _second_step(signin.VERIFY, "coordinators/recovery_code.html", RecoveryCodeSchema(),
                        accept, "recovery_code")


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
def set_up_two_factor():
    def accept(coordinator, pending, code):
        return signin.confirm_enrolment(db.session, coordinator, pending, code)

    return _second_step(signin.ENROL, "coordinators/set_up_two_factor.html", CodeSchema(),
                        accept, "totp_enrolment")


INVITATION_GRANT = "invitation"
INVITATION_GRANT_SECONDS = 60 * 60  # time to choose a password; the link itself lasts days


@bp.get("/invitation/<token>")
def accept_invitation(token: str):
    """The e-mailed link: its token goes no further than this request (peerpath.grants)."""
    token_hash = team.invitation_grant(db.session, token)
    if token_hash is None:
        return _page("coordinators/invitation_invalid.html", {}, 404)
    return grants.exchange(INVITATION_GRANT, token_hash, INVITATION_GRANT_SECONDS,
                           "coordinators.invitation")


@bp.route("/invitation", methods=["GET", "POST"])
def invitation():
    """Set a password from a lead's invitation, then set up two-factor authentication."""
    token_hash = grants.held(INVITATION_GRANT)
    found = team.invitation_for(db.session, token_hash)
    if found is None:
        return _page("coordinators/invitation_invalid.html", {}, 404)
    errors = {}
    if request.method == "POST":
        values, errors = load_form(SetPasswordSchema(), request.form)
        if not errors:
            grants.release(INVITATION_GRANT)
            coordinator = team.accept_invitation(db.session, token_hash, values["password"])
            if coordinator is None:  # used a moment ago in another tab
                db.session.rollback()
                return _page("coordinators/invitation_invalid.html", {}, 404)
            signin.begin_second_step(coordinator)
            db.session.commit()
            return redirect(url_for("coordinators.set_up_two_factor"))
    coordinator = db.session.get(Coordinator, found.coordinator_id)
    return _page("coordinators/invitation.html", errors, coordinator=coordinator)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        signin.sign_out(db.session)
        db.session.commit()
    else:
        sessions.end_session()
    return redirect(url_for("coordinators.sign_in"))


@bp.route("/account/recovery-codes", methods=["GET", "POST"])
@coordinator_required("account:write")
def account_recovery_codes():
    """How many recovery codes are left; a new set after a current code from the app."""
    coordinator = db.session.get(Coordinator, current_user.coordinator_id)
    template = "coordinators/account_recovery_codes.html"
    errors = {}
    if request.method == "POST":
        _, errors = load_form(CodeSchema(), request.form)
        if not errors:
            throttle = SignInThrottle(signin.REALM, current_tenant().slug, coordinator.email)
            wait = throttle.retry_after()
            if wait:
                return _throttled(template, wait, codes_left=_codes_left(coordinator))
            codes = signin.renew_recovery_codes(db.session, coordinator, request.form["code"])
            db.session.commit()
            if codes is not None:
                return _page("coordinators/recovery_codes.html", {}, codes=codes,
                             next_url=url_for("coordinators.home"))
            throttle.failed()
            errors = {GENERIC_FIELD: CODE_FAILED, "code": CODE_FAILED}
    return _page(template, errors, codes_left=_codes_left(coordinator))


def _codes_left(coordinator: Coordinator) -> int:
    return signin.unused_recovery_codes(db.session, coordinator.id)


@bp.get("/")
@coordinator_required("workspace:read")
def home():
    # The team's promise to respond to every EOI: what is overdue, for those who may see it.
    overdue = responses.overdue_count(db.session) \
        if permits(current_user, "applications:read") else None
    return render_template("coordinators/home.html", tenant=current_tenant(),
                           eoi_overdue=overdue)
