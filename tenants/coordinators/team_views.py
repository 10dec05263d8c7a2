"""The team pages for lead coordinators: list, invite, change role, deactivate, reset 2FA."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from peerpath.confirm import Confirmation, confirmation_page, is_confirmed
from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from peerpath.tenancy import current_tenant
from tenants.coordinators import signin, team
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.models import GRANT_NAMES, ROLE_NAMES, ROLES
from tenants.coordinators.schemas import ChangeRoleSchema, GrantsSchema, InviteSchema

bp = Blueprint("coordinator_team", __name__, template_folder="templates")

_DEV_LINK = "_pp_dev_invitation_link"


def _member_or_404(coordinator_id: int):
    member = team.get_member(db.session, coordinator_id)
    if member is None:
        abort(404)
    return member


def _member_page(member, errors: dict | None = None, values: dict | None = None):
    errors = errors or {}
    page = render_template("coordinators/team_member.html", member=member, errors=errors,
                           values=values or {"role": member.role,
                                             "grants": list(member.grants or ())},
                           roles=ROLES, role_names=ROLE_NAMES, grant_names=GRANT_NAMES,
                           tenant=current_tenant(),
                           codes_left=signin.unused_recovery_codes(db.session, member.id))
    return make_response(page, 400 if errors else 200)


def _remember_link(link: str) -> None:
    if team.show_link_on_screen():
        session[_DEV_LINK] = link


@bp.get("/")
@coordinator_required("team:write")
def index():
    return render_template("coordinators/team.html", members=team.list_team(db.session),
                           role_names=ROLE_NAMES, tenant=current_tenant(),
                           dev_link=session.pop(_DEV_LINK, None))


@bp.route("/invite", methods=["GET", "POST"])
@coordinator_required("team:write")
def invite():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(InviteSchema(), request.form)
        if not errors:
            try:
                link = team.invite(db.session, invited_by=current_user.coordinator_id, **values)
            except team.TeamRuleBroken as broken:
                errors = {broken.field: broken.message}
            else:
                db.session.commit()
                _remember_link(link)
                return redirect(url_for(".index"))
    return render_template("coordinators/team_invite.html", values=values, errors=errors,
                           roles=ROLES, role_names=ROLE_NAMES, tenant=current_tenant()
                           ), (400 if errors else 200)


@bp.get("/<int:coordinator_id>")
@coordinator_required("team:write")
def member(coordinator_id: int):
    return _member_page(_member_or_404(coordinator_id))


def _change(coordinator_id: int, change):
    """Apply one change to a member, then back to their page (or the page with the error)."""
    target = _member_or_404(coordinator_id)
    try:
        change(target)
    except team.TeamRuleBroken as broken:
        db.session.rollback()
        return _member_page(_member_or_404(coordinator_id), {broken.field: broken.message})
    db.session.commit()
    return redirect(url_for(".member", coordinator_id=coordinator_id))


@bp.post("/<int:coordinator_id>/role")
@coordinator_required("team:write")
def change_role(coordinator_id: int):
    values, errors = load_form(ChangeRoleSchema(), request.form)
    if errors:
        return _member_page(_member_or_404(coordinator_id), errors, values)
    return _change(coordinator_id, lambda m: team.change_role(db.session, m, values["role"]))


@bp.post("/<int:coordinator_id>/permissions")
@coordinator_required("team:write")
def change_grants(coordinator_id: int):
    values, errors = load_form(GrantsSchema(), request.form, list_fields=("grants",))
    if errors:
        return _member_page(_member_or_404(coordinator_id), errors, values)
    return _change(coordinator_id, lambda m: team.set_grants(
        db.session, m, values["grants"], by=current_user.coordinator_id))


@bp.post("/<int:coordinator_id>/deactivate")
@coordinator_required("team:write")
def deactivate(coordinator_id: int):
    member = _member_or_404(coordinator_id)
    if not is_confirmed(request.form):
        try:  # a rule that would refuse it is said now, not after "Yes"
            team.check_can_deactivate(db.session, member, current_user.coordinator_id)
        except team.TeamRuleBroken as broken:
            return _member_page(member, {broken.field: broken.message})
        return confirmation_page(Confirmation(
            title=f"Remove {member.display_name} from the team?",
            consequences=(
                f"{member.display_name} can no longer sign in to {current_tenant().display_name}"
                "'s workspace, and is signed out everywhere now.",
                "Any invitation they have not used stops working.",
                "Their name stays on what they did (notes, reviews, the audit trail).",
                "A lead can reactivate the account later from this page."),
            button=f"Yes, remove {member.display_name}",
            action=url_for(".deactivate", coordinator_id=member.id),
            cancel_url=url_for(".member", coordinator_id=member.id)), tenant=current_tenant())
    return _change(coordinator_id,
                   lambda m: team.deactivate(db.session, m, current_user.coordinator_id))


@bp.post("/<int:coordinator_id>/reactivate")
@coordinator_required("team:write")
def reactivate(coordinator_id: int):
    return _change(coordinator_id, lambda m: team.reactivate(db.session, m))


@bp.post("/<int:coordinator_id>/reset-two-factor")
@coordinator_required("team:write")
def reset_two_factor(coordinator_id: int):
    def reset(target):
        if target.id == current_user.coordinator_id:
            raise team.TeamRuleBroken(GENERIC_FIELD, "You cannot reset your own two-factor "
                                                     "authentication")
        signin.reset_two_factor(db.session, target)

    return _change(coordinator_id, reset)


@bp.post("/<int:coordinator_id>/invite-again")
@coordinator_required("team:write")
def invite_again(coordinator_id: int):
    def again(target):
        _remember_link(team.invite_again(db.session, target, current_user.coordinator_id))

    response = _change(coordinator_id, again)
    return redirect(url_for(".index")) if response.status_code == 302 else response
