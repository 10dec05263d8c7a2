"""Coordinator sign-in, sign-out and the workspace home of one trust."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from peerpath import sessions
from peerpath.auth import verify_password
from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.coordinators import service
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.schemas import SignInSchema

bp = Blueprint("coordinators", __name__, template_folder="templates")

SIGN_IN_FAILED = "Enter a correct email address and password"


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


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(SignInSchema(), request.form)
        if not errors:
            coordinator = service.find_by_email(db.session, values["email"])
            ok = verify_password(coordinator.password_hash if coordinator else None,
                                 values["password"])
            if ok and coordinator.active:
                sessions.start_session("trust", current_tenant().slug, coordinator.id)
                login_user(service.CoordinatorLogin(coordinator, current_tenant().slug))
                service.note_sign_in(coordinator)
                record("coordinator.sign_in", "coordinator", coordinator.id)
                db.session.commit()
                return redirect(_safe_next(request.args.get("next")))
            record("coordinator.sign_in_failed", detail={"reason": "bad credentials"})
            db.session.commit()
            errors = {GENERIC_FIELD: SIGN_IN_FAILED, "email": SIGN_IN_FAILED}
        values.pop("password", None)
    return render_template("coordinators/sign_in.html", values=values, errors=errors,
                           tenant=current_tenant()), (400 if errors else 200)


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        record("coordinator.sign_out")
        db.session.commit()
    sessions.end_session()
    return redirect(url_for("coordinators.sign_in"))


@bp.get("/")
@coordinator_required()
def home():
    return render_template("coordinators/home.html", tenant=current_tenant())
