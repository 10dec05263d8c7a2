"""Admin API tokens: `pa_<token id>_<secret>`, shown once, stored as a SHA-256 of the secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import func, select

from peerpath.admin.models import AdminApiToken, platform_session
from peerpath.models import PlatformAdmin

PREFIX = "pa_"
MAX_DAYS = 365


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(admin_id: int, name: str, days: int = 90) -> tuple[AdminApiToken, str]:
    secret = secrets.token_urlsafe(32)
    with platform_session() as session, session.begin():
        token = AdminApiToken(admin_id=admin_id, name=name, secret_hash=_hash(secret),
                              expires_at=dt.datetime.now(dt.UTC)
                              + dt.timedelta(days=min(days, MAX_DAYS)))
        session.add(token)
        session.flush()
    return token, f"{PREFIX}{token.id}_{secret}"


def token_id(text: str) -> str:
    """The id part of a token's text (not checked: see verify)."""
    return text[len(PREFIX):].partition("_")[0]


def verify(text: str) -> PlatformAdmin | None:
    """The admin a token belongs to, if it is valid, unexpired and unrevoked."""
    if not text.startswith(PREFIX):
        return None
    token_id, _, secret = text[len(PREFIX):].partition("_")
    if not token_id.isdigit() or len(token_id) > 18 or not secret:
        return None
    with platform_session() as session, session.begin():
        token = session.get(AdminApiToken, int(token_id))
        if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
            return None
        if token.revoked_at is not None or token.expires_at <= dt.datetime.now(dt.UTC):
            return None
        admin = session.get(PlatformAdmin, token.admin_id)
        if not admin.active:  # a deactivated admin's tokens stop working with them
            return None
        token.last_used_at = func.now()
        return admin


def tokens_of(admin_id: int) -> list[AdminApiToken]:
    with platform_session() as session:
        return list(session.scalars(select(AdminApiToken).where(
            AdminApiToken.admin_id == admin_id).order_by(AdminApiToken.id.desc())))


def revoke(admin_id: int, token_id: int) -> bool:
    with platform_session() as session, session.begin():
        token = session.get(AdminApiToken, token_id)
        if token is None or token.admin_id != admin_id or token.revoked_at is not None:
            return False
        token.revoked_at = func.now()
        return True
