"""Personal API tokens: `pp_<trust slug>_<token id>_<secret>`, shown once, stored hashed.

The trust slug inside the token lets a request for another trust be answered 404 before
any lookup; the secret is compared by hash in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select

from peerpath.refusal import Refused
from peerpath.tenancy import Tenant
from tenants.api_tokens.models import ApiToken
from tenants.coordinators.models import Coordinator

SCOPES = ("read", "write")
MAX_DAYS = 365
EXPIRY_CHOICES = (30, 90, 180, 365)
# Roles that may hold a write token; the others may only read (a token never does more
# than its coordinator could in the workspace).
WRITE_ROLES = ("lead", "coordinator")


class TokenRefused(Refused):
    """An API token that does not let its bearer in (401) or not for this (403)."""

    def __init__(self, status: int, message: str):
        super().__init__(message, status=status)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(session, tenant: Tenant, coordinator_id: int, name: str, scope: str,
          days: int = 90) -> tuple[ApiToken, str]:
    """A new token and its full text (shown to the coordinator once, never stored)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    secret = secrets.token_urlsafe(32)
    token = ApiToken(coordinator_id=coordinator_id, name=name, scope=scope,
                     secret_hash=_hash(secret),
                     expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=min(days, MAX_DAYS)))
    session.add(token)
    session.flush()
    return token, f"pp_{tenant.slug}_{token.id}_{secret}"


def parse(text: str) -> tuple[str, int, str] | None:
    """(trust slug, token id, secret) from a token's text, or None if it is not one."""
    if not text.startswith("pp_"):
        return None
    # The secret is URL-safe base64 and may itself contain "_": split from the left on the
    # slug (which has none) and the numeric id.
    slug, _, rest = text[3:].partition("_")
    token_id, _, secret = rest.partition("_")
    if not slug or not token_id.isdigit() or len(token_id) > 18 or not secret:
        return None
    return slug, int(token_id), secret


def verify(session, token_id: int, secret: str, needed_scope: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        raise TokenRefused(401, "The API token is not valid")
    if token.revoked_at is not None or token.expires_at <= dt.datetime.now(dt.UTC):
        raise TokenRefused(401, "The API token has expired or was revoked")
    coordinator = session.get(Coordinator, token.coordinator_id)
    if coordinator is None or not coordinator.active:
        raise TokenRefused(401, "The API token's owner no longer has access")
    if needed_scope == "write" and token.scope != "write":
        raise TokenRefused(403, "This API token may only read")
    return token


def note_use(token: ApiToken) -> bool:
    """Record when a token was last used, at most once a minute; True if it changed."""
    now = dt.datetime.now(dt.UTC)
    if token.last_used_at is not None and now - token.last_used_at < dt.timedelta(minutes=1):
        return False
    token.last_used_at = now
    return True


def revoke(session, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = dt.datetime.now(dt.UTC)


def scopes_for(role: str) -> tuple[str, ...]:
    return SCOPES if role in WRITE_ROLES else ("read",)


def owned_by(coordinator_id: int | None = None):
    """Tokens of one coordinator (or, with None, of everyone: a lead's view), newest first."""
    statement = select(ApiToken)
    if coordinator_id is not None:
        statement = statement.where(ApiToken.coordinator_id == coordinator_id)
    return statement


def find(session, token_id: int, coordinator_id: int | None = None) -> ApiToken | None:
    """A token of this coordinator (any coordinator's with None), or None."""
    token = session.get(ApiToken, token_id)
    if token is None or (coordinator_id is not None and token.coordinator_id != coordinator_id):
        return None
    return token


def rename(token: ApiToken, name: str) -> None:
    token.name = name
