"""Authentication plumbing shared by every realm: password hashing and realm-bound sessions.

A login belongs to a realm: the platform console, or exactly one trust. The realm is part
of the Flask-Login user id ("trust:<slug>:<id>" or "platform:<id>"), which the signed
session cookie protects, so a session made in one trust is anonymous in every other trust
and on the admin console, and the reverse. The cookie alone is not enough either: the
loader also asks peerpath.sessions whether the server-side session record is alive.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import g

from peerpath import sessions
from peerpath.extensions import login_manager

# argon2-cffi's defaults are argon2id with RFC 9106's low-memory parameters.
_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when an account does not exist, so both cases take as long."""
    return _hasher.hash("timing-equaliser")

_loaders: dict[str, Callable[[str], object | None]] = {}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant-ish time whether or not the account exists (unknown accounts pass None)."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def tenant_user_id(slug: str, user_id: int) -> str:
    return f"trust:{slug}:{user_id}"


def platform_user_id(user_id: int) -> str:
    return f"platform:{user_id}"


def register_loader(realm: str, loader: Callable[[str], object | None]) -> None:
    """`realm` is "trust" or "platform"; the loader gets the bare id within the realm."""
    _loaders[realm] = loader


@login_manager.user_loader
def load_user(user_id: str):
    realm, _, rest = user_id.partition(":")
    if realm == "trust":
        slug, _, bare_id = rest.partition(":")
        tenant = g.get("tenant")
        if tenant is None or tenant.slug != slug:
            return None  # a trust's session presented anywhere else is anonymous
        scope = slug
    elif realm == "platform":
        if not g.get("platform_realm"):
            return None  # admin sessions only count on the console
        bare_id, scope = rest, sessions.PLATFORM_SCOPE
    else:
        return None
    loader = _loaders.get(realm)
    if not (loader and bare_id.isdigit()):
        return None
    # The cookie alone is not enough: the server-side record must be alive (see sessions).
    if not sessions.check(realm, scope, bare_id):
        return None
    g.auth_realm = realm
    return loader(bare_id)
