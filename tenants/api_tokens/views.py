"""Coordinator pages for personal API tokens: make one (shown once), list, revoke.

Everyone sees and revokes their own tokens; a lead also sees and can revoke every token of
the trust (for when someone leaves). A token's scope never exceeds its owner's role.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.api_tokens import service
from tenants.api_tokens.models import ApiToken
from tenants.api_tokens.schemas import CreateTokenSchema
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.models import Coordinator

bp = Blueprint("api_tokens", __name__, template_folder="templates")


def _sees_all() -> bool:
    return current_user.role == "lead"


def _mine_or_all() -> int | None:
    return None if _sees_all() else current_user.coordinator_id


@bp.get("")
@coordinator_required("api_tokens:read")
def index():
    statement = service.owned_by(_mine_or_all()).order_by(ApiToken.id.desc())
    tokens = db.session.scalars(statement).all()
    owners = dict(db.session.execute(select(Coordinator.id, Coordinator.display_name)).all()) \
        if _sees_all() else {}
    return render_template("api_tokens/index.html", tokens=tokens, owners=owners,
                           sees_all=_sees_all(), tenant=current_tenant())


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required("api_tokens:write")
def create():
    scopes = service.scopes_for(current_user.role)
    values, errors = {"scope": "read", "days": "90"}, {}
    if request.method == "POST":
        values, errors = load_form(CreateTokenSchema(), request.form)
        if not errors and values["scope"] not in scopes:
            errors = {"scope": "Your role may only make read tokens"}
        if not errors:
            token, text = service.issue(db.session, current_tenant(),
                                        current_user.coordinator_id, values["name"],
                                        values["scope"], values["days"])
            record("api_token.create", "api_token", token.id,
                   detail={"scope": token.scope, "days": values["days"]})
            db.session.commit()
            # Shown once, in this response only: never stored, redirected or logged.
            return render_template("api_tokens/created.html", token=token, text=text,
                                   tenant=current_tenant())
    return render_template("api_tokens/new.html", values=values, errors=errors,
                           scopes=scopes, expiry_choices=service.EXPIRY_CHOICES,
                           tenant=current_tenant()), (400 if errors else 200)


@bp.post("/<int:token_id>/revoke")
@coordinator_required("api_tokens:write")
def revoke(token_id: int):
    token = service.find(db.session, token_id, _mine_or_all())
    if token is None:
        abort(404)
    service.revoke(db.session, token.id)
    record("api_token.revoke", "api_token", token.id)
    db.session.commit()
    return redirect(url_for("api_tokens.index"))
