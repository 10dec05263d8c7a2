"""Coordinator accounts of one trust (the request's or job's tenant session)."""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import func, select

from peerpath import twofactor
from peerpath.auth import hash_password, tenant_user_id
from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.coordinators.models import Coordinator


class CoordinatorLogin(UserMixin):
    """What Flask-Login keeps for a signed-in coordinator: ids and role, no personal data."""

    realm = "trust"

    def __init__(self, coordinator: Coordinator, trust_slug: str):
        self.coordinator_id = coordinator.id
        self.role = coordinator.role
        self.grants = tuple(coordinator.grants or ())
        self.display_name = coordinator.display_name
        self.trust_slug = trust_slug

    def get_id(self) -> str:
        return tenant_user_id(self.trust_slug, self.coordinator_id)


def load_for_login(bare_id: str) -> CoordinatorLogin | None:
    coordinator = db.session.get(Coordinator, int(bare_id))
    if coordinator is None or not coordinator.active:
        return None
    return CoordinatorLogin(coordinator, current_tenant().slug)


def find_by_email(session, email: str) -> Coordinator | None:
    return session.scalars(
        select(Coordinator).where(func.lower(Coordinator.email) == email.strip().lower())
    ).one_or_none()


def create_coordinator(session, *, email: str, display_name: str, role: str = "coordinator",
                       password: str | None = None, totp_secret: str | None = None) -> Coordinator:
    """A coordinator; with `totp_secret` already enrolled (demo seed and tests only: people
    enrol themselves at first sign-in)."""
    coordinator = Coordinator(email=email.strip(), display_name=display_name, role=role,
                              password_hash=hash_password(password) if password else None)
    if totp_secret:
        coordinator.totp_secret = twofactor.encrypt_secret(
            totp_secret, realm="trust", scope=current_tenant().slug)
        coordinator.totp_enrolled_at = func.now()
    session.add(coordinator)
    session.flush()
    return coordinator


def note_sign_in(coordinator: Coordinator) -> None:
    coordinator.last_sign_in_at = func.now()
