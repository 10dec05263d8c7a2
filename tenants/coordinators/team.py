"""A lead coordinator's management of their trust's team: invitations, roles, deactivation.

Invitations: the link carries a random token; only its SHA-256 is stored. It works once,
for INVITATION_DAYS, and sets the person's password; they then set up two-factor
authentication before they are signed in. Inviting again replaces any earlier link.

Rules that keep a trust manageable: a lead cannot deactivate themselves, and the last
active lead can be neither demoted nor deactivated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import func, select, update

from peerpath import sessions
from peerpath.auth import hash_password
from peerpath.links import external_url
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.coordinators.models import GRANTS, Coordinator, Invitation
from tenants.coordinators.service import find_by_email
from tenants.notifications.service import queue_message

INVITATION_DAYS = 3


class TeamRuleBroken(Exception):
    """A change the rules refuse; `field` and `message` go straight onto the form."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def list_team(session) -> list[tuple[Coordinator, bool]]:
    """Everyone, leads first, with whether an unused, unexpired invitation is outstanding."""
    invited = (select(Invitation.id).where(
        Invitation.coordinator_id == Coordinator.id, Invitation.used_at.is_(None),
        Invitation.expires_at > func.now()).exists())
    rows = session.execute(select(Coordinator, invited).order_by(
        Coordinator.active.desc(), Coordinator.role != "lead",
        func.lower(Coordinator.display_name)))
    return [(coordinator, bool(pending)) for coordinator, pending in rows]


def get_member(session, coordinator_id: int) -> Coordinator | None:
    return session.get(Coordinator, coordinator_id)


def invite(session, *, email: str, display_name: str, role: str, invited_by: int) -> str:
    """Add someone to the team and return their invitation link (to send, never to log)."""
    if find_by_email(session, email) is not None:
        raise TeamRuleBroken("email", "There is already someone on the team with this email "
                                      "address")
    coordinator = Coordinator(email=email, display_name=display_name, role=role)
    session.add(coordinator)
    session.flush()
    record("coordinator.invited", "coordinator", coordinator.id, detail={"role": role},
           session=session)
    return _new_invitation(session, coordinator, invited_by)


def invite_again(session, coordinator: Coordinator, invited_by: int) -> str:
    if coordinator.password_hash is not None or not coordinator.active:
        raise TeamRuleBroken("_form", "Only someone who has not yet accepted can be invited again")
    record("coordinator.invited_again", "coordinator", coordinator.id, session=session)
    return _new_invitation(session, coordinator, invited_by)


def _new_invitation(session, coordinator: Coordinator, invited_by: int) -> str:
    session.execute(update(Invitation).where(
        Invitation.coordinator_id == coordinator.id, Invitation.used_at.is_(None))
        .values(expires_at=func.now()))
    token = secrets.token_urlsafe(32)
    session.add(Invitation(
        coordinator_id=coordinator.id, invited_by=invited_by, token_hash=_token_hash(token),
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=INVITATION_DAYS)))
    session.flush()
    link = external_url("coordinators.accept_invitation", token=token)
    send_invitation(session, coordinator, link, invited_by)
    return link


def send_invitation(session, coordinator: Coordinator, link: str,
                    invited_by: int | None) -> None:
    """The invitation e-mail, through the trust's outbox (sent only if this transaction
    commits). It carries the link, the inviter's name and the trust's name, nothing else."""
    # A trust's first lead is invited by a platform admin, who is no coordinator.
    inviter = session.get(Coordinator, invited_by) if invited_by is not None else None
    queue_message(session, "coordinator_invitation",
                  {"email": coordinator.email, "name": coordinator.display_name,
                   "preferred_channel": "email"},
                  {"invite_link": link, "expires_in": f"{INVITATION_DAYS} days",
                   "invited_by": inviter.display_name if inviter else "The PeerPath platform team"},
                  related=("coordinator", coordinator.id))


def show_link_on_screen() -> bool:
    """Development and tests also show the link to the lead, so no mail server is needed."""
    return current_app.config.get("ENV_NAME") in ("development", "test")


def invitation_grant(session, token: str) -> str | None:
    """What opening a live invitation link grants this browser: the token's hash, so the
    token goes no further than that one request (peerpath.grants). Uses nothing up."""
    if not isinstance(token, str) or len(token) > 100:
        return None
    token_hash = _token_hash(token)
    return token_hash if invitation_for(session, token_hash) is not None else None


def invitation_for(session, token_hash: str | None) -> Invitation | None:
    """The invitation with this token hash, if it is unused, unexpired and the person active."""
    if not isinstance(token_hash, str):
        return None
    invitation = session.scalars(select(Invitation).where(
        Invitation.token_hash == token_hash, Invitation.used_at.is_(None),
        Invitation.expires_at > func.now())).one_or_none()
    if invitation is None or not session.get(Coordinator, invitation.coordinator_id).active:
        return None
    return invitation


def accept_invitation(session, token_hash: str, password: str) -> Coordinator | None:
    """Use the link (once: concurrent uses race on the same row) and set the password."""
    coordinator_id = session.execute(
        update(Invitation).where(
            Invitation.token_hash == token_hash, Invitation.used_at.is_(None),
            Invitation.expires_at > func.now())
        .values(used_at=func.now()).returning(Invitation.coordinator_id)).scalar_one_or_none()
    coordinator = session.get(Coordinator, coordinator_id) if coordinator_id else None
    if coordinator is None or not coordinator.active:
        return None
    coordinator.password_hash = hash_password(password)
    record("coordinator.invitation_accepted", "coordinator", coordinator.id,
           actor=f"trust:{current_tenant().slug}:{coordinator.id}", session=session)
    return coordinator


def _other_active_leads(session, coordinator: Coordinator) -> int:
    return session.scalar(select(func.count()).select_from(Coordinator).where(
        Coordinator.role == "lead", Coordinator.active, Coordinator.id != coordinator.id))


def change_role(session, coordinator: Coordinator, role: str) -> None:
    if role == coordinator.role:
        return
    if coordinator.role == "lead" and not _other_active_leads(session, coordinator):
        raise TeamRuleBroken("role", "The trust needs at least one lead coordinator: make "
                                     "someone else a lead first")
    record("coordinator.role_changed", "coordinator", coordinator.id,
           detail={"from": coordinator.role, "to": role}, session=session)
    coordinator.role = role


def set_grants(session, coordinator: Coordinator, grants: list[str], *, by: int) -> None:
    """The per-person permissions beside the role (tenants.coordinators.permissions)."""
    chosen = [grant for grant in GRANTS if grant in set(grants)]  # the table's order
    if coordinator.id == by and "manage_team" not in chosen:
        raise TeamRuleBroken("grants", "You cannot take away your own permission to manage "
                                       "the team: ask another lead")
    if chosen == list(coordinator.grants or ()):
        return
    record("coordinator.grants_changed", "coordinator", coordinator.id,
           detail={"from": list(coordinator.grants or ()), "to": chosen}, session=session)
    coordinator.grants = chosen


def check_can_deactivate(session, coordinator: Coordinator, by: int) -> None:
    """Raises TeamRuleBroken if ``by`` may not deactivate ``coordinator``."""
    if coordinator.id == by:
        raise TeamRuleBroken("_form", "You cannot deactivate your own account")
    if coordinator.role == "lead" and not _other_active_leads(session, coordinator):
        raise TeamRuleBroken("_form", "The trust needs at least one lead coordinator")


def deactivate(session, coordinator: Coordinator, by: int) -> None:
    """No more sign-ins, and every session they have ends now."""
    check_can_deactivate(session, coordinator, by)
    coordinator.active = False
    session.execute(update(Invitation).where(
        Invitation.coordinator_id == coordinator.id, Invitation.used_at.is_(None))
        .values(expires_at=func.now()))
    ended = sessions.end_all_sessions("trust", current_tenant().slug, coordinator.id)
    record("coordinator.deactivated", "coordinator", coordinator.id,
           detail={"sessions_ended": ended}, session=session)


def reactivate(session, coordinator: Coordinator) -> None:
    coordinator.active = True
    record("coordinator.reactivated", "coordinator", coordinator.id, session=session)
