"""Console sign-in: password, then TOTP (enrolment with a QR code on first sign-in), or a
recovery code; sign-out. Sessions are the shared server-side ones (peerpath.sessions)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_user

from peerpath import sessions, twofactor
from peerpath.admin import accounts, service
from peerpath.admin.auth import client_ip
from peerpath.admin.schemas import CodeSchema, SignInSchema
from peerpath.admin.views import bp
from peerpath.forms import GENERIC_FIELD, load_form

REALM, SCOPE = accounts.REALM, sessions.PLATFORM_SCOPE
SIGN_IN_FAILED = "Enter a correct email address and password"
CODE_FAILED = "Enter a correct code from your authenticator app, or a recovery code"


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin/"):
        return url_for("admin.trusts")
    return target


def _page(template: str, values: dict, errors: dict, **context):
    return render_template(template, values=values, errors=errors, **context), \
        (400 if errors else 200)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(SignInSchema(), request.form)
        if not errors:
            admin = accounts.check_password(values["email"], values["password"])
            if admin is not None:
                scratch = {} if admin.totp_secret else {"enrol_secret": twofactor.new_secret()}
                sessions.begin_pending(REALM, SCOPE, admin.id,
                                       next=_safe_next(request.args.get("next")), **scratch)
                return redirect(url_for("admin.enrol" if scratch else "admin.second_factor"))
            service.record("anonymous", "admin.sign_in_failed", ip=client_ip(),
                           detail={"reason": "bad credentials"})
            errors = {GENERIC_FIELD: SIGN_IN_FAILED, "email": SIGN_IN_FAILED}
        values.pop("password", None)
    return _page("admin/sign_in.html", values, errors)


def _pending_or_restart():
    pending = sessions.pending(REALM, SCOPE)
    admin = accounts.get(pending["user_id"]) if pending else None
    return pending, admin


def _finish_sign_in(admin, pending: dict, how: str):
    sessions.start_session(REALM, SCOPE, admin.id)  # rotates the cookie; ends the pending one
    sessions.end_pending()
    login_user(accounts.AdminLogin(admin))
    accounts.note_sign_in(admin.id)
    service.record(admin.email, "admin.sign_in", ip=client_ip(), detail={"second_factor": how})


def _wrong_code(admin, errors_template: str, **context):
    service.record(admin.email, "admin.second_factor_failed", ip=client_ip())
    if not sessions.note_pending_failure(REALM, SCOPE):
        return redirect(url_for("admin.sign_in"))
    return _page(errors_template, {}, {"code": CODE_FAILED}, **context)


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
def second_factor():
    pending, admin = _pending_or_restart()
    if admin is None or "enrol_secret" in pending or not admin.totp_secret:
        return redirect(url_for("admin.sign_in"))
    if request.method == "GET":
        return _page("admin/two_factor.html", {}, {})
    values, errors = load_form(CodeSchema(), request.form)
    if errors:
        return _page("admin/two_factor.html", {}, errors)
    if accounts.verify_totp(admin, values["code"]):
        how = "totp"
    elif accounts.use_recovery_code(admin.id, values["code"]):
        how = "recovery code"
    else:
        return _wrong_code(admin, "admin/two_factor.html")
    _finish_sign_in(admin, pending, how)
    return redirect(pending.get("next") or url_for("admin.trusts"))


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
def enrol():
    pending, admin = _pending_or_restart()
    if admin is None or "enrol_secret" not in pending:
        return redirect(url_for("admin.sign_in"))
    secret = pending["enrol_secret"]
    context = {"qr": twofactor.qr_svg(twofactor.provisioning_uri(secret, admin.email)),
               "secret": twofactor.grouped(secret)}
    if request.method == "GET":
        return _page("admin/enrol.html", {}, {}, **context)
    values, errors = load_form(CodeSchema(), request.form)
    if errors:
        return _page("admin/enrol.html", {}, errors, **context)
    if not twofactor.verify_code(REALM, SCOPE, admin.id, secret, values["code"]):
        return _wrong_code(admin, "admin/enrol.html", **context)
    codes = accounts.complete_enrolment(admin.id, secret)
    service.record(admin.email, "admin.two_factor_enrolled", ip=client_ip())
    _finish_sign_in(admin, pending, "totp")
    # Shown once, in this response: never stored in the clear, never in a redirect.
    # The same page as coordinators get (it names no realm).
    return render_template("coordinators/recovery_codes.html", codes=codes,
                           next_url=pending.get("next") or url_for("admin.trusts"))


@bp.post("/sign-out")
def sign_out():
    if getattr(current_user, "realm", None) == "platform":
        service.record(current_user.email, "admin.sign_out", ip=client_ip())
    sessions.end_session()
    return redirect(url_for("admin.sign_in"))
