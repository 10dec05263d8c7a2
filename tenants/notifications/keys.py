"""Sealing provider secrets (the trust's Notify API key) at rest.

Kept behind two functions so the platform's data key (PEERPATH_DATA_KEY, when the data
protection work introduces it) can replace the derivation in one place. Sealed values are
never logged or shown again: the settings page only says whether a key is set.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    material = os.environ.get("PEERPATH_DATA_KEY")
    if not material:
        # Stable across the web app and workers of one deployment (SECRET_KEY may be random
        # per process in development, the database URL is not).
        material = current_app.config.get("DATABASE_URL") or ""
        if current_app.config.get("ENV_NAME") == "production":
            material = current_app.config["SECRET_KEY"]
    digest = hashlib.sha256(b"peerpath-notify-key:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str | None) -> str | None:
    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
