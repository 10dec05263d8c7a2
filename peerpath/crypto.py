"""Field encryption at rest: one AES-256-GCM data key per trust, wrapped by a platform key.

- The platform key (config DATA_KEY, from PEERPATH_DATA_KEY; production refuses to start
  without it) never touches the database. It only wraps and unwraps the trusts' data keys.
- Each trust's data key lives wrapped in its own schema (table `data_keys`, model in
  tenants/keys): made at onboarding, or on first use for a trust onboarded before this
  existed. Offboarding drops the schema and with it the key (crypto-shredding); `destroy_key`
  does the same on its own.
- A field token is "pp1.<key id>.<base64url(nonce | ciphertext | tag)>". The associated data
  binds the trust slug, the key id and the field's purpose, so a ciphertext copied into
  another trust, or into another column, fails to decrypt instead of revealing anything.
- Unwrapped keys are cached per process by (platform key, trust slug). A key destroyed in one
  process stays in other processes' caches until they restart; by then the trust is
  offboarded and no request or job can reach it.

Use `EncryptedText("<domain>.<column>")` as the column type of a sensitive column. It
encrypts and decrypts with the tenant of the current request or job
(`peerpath.tenancy.current_tenant()`, i.e. inside a request under /trusts/<slug>/ or a
`tenant_context`). Encrypted columns cannot be searched, compared or indexed by value, and
onboarding setup steps must not write them (the new schema is not committed yet).
The migration declares such a column as plain `sa.Text()`.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import Text, text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from peerpath.extensions import db
from peerpath.tenancy import Tenant, bind_session, current_tenant

TOKEN_VERSION = "pp1"  # noqa: S105 (a format tag, not a secret)
NONCE_BYTES = 12
KEY_TABLE = "data_keys"


class DecryptionError(ValueError):
    """A token that is malformed, from another trust or column, or whose key is destroyed."""


@dataclass
class _TrustKeys:
    active_id: int
    keys: dict[int, AESGCM] = field(default_factory=dict)


_cache: dict[tuple[bytes, str], _TrustKeys] = {}
_lock = threading.Lock()


def _platform_key() -> bytes:
    key = current_app.config.get("DATA_KEY")
    if not key or len(key) != 32:
        raise RuntimeError("DATA_KEY (PEERPATH_DATA_KEY) is not configured")
    return key


def _fingerprint(platform_key: bytes) -> bytes:
    return hashlib.sha256(b"fingerprint:" + platform_key).digest()[:8]


def _wrap_aad(slug: str) -> bytes:
    return f"peerpath-data-key:{slug}".encode()


def wrap_key(platform_key: bytes, slug: str, data_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(platform_key).encrypt(nonce, data_key, _wrap_aad(slug))


def unwrap_key(platform_key: bytes, slug: str, wrapped: bytes) -> bytes:
    try:
        return AESGCM(platform_key).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:],
                                            _wrap_aad(slug))
    except InvalidTag:
        raise DecryptionError("the trust's data key does not unwrap with this platform key "
                              "(wrong PEERPATH_DATA_KEY?)") from None


def create_data_key(session: Session, tenant: Tenant) -> int:
    """Insert a new wrapped data key for `tenant` in `session`'s transaction (onboarding)."""
    wrapped = wrap_key(_platform_key(), tenant.slug, AESGCM.generate_key(bit_length=256))
    return session.execute(text(f"INSERT INTO {KEY_TABLE} (wrapped_key) VALUES (:w) "  # noqa: S608
                                "RETURNING id"), {"w": wrapped}).scalar_one()


def _read_keys(session: Session) -> list:
    return session.execute(text(f"SELECT id, wrapped_key FROM {KEY_TABLE} "  # noqa: S608
                                "ORDER BY id")).all()


def _load(tenant: Tenant) -> _TrustKeys:
    """The trust's keys from its schema, creating the first one if there is none.

    Uses a short session of its own, so it can run while the caller's session is in the
    middle of a flush or a result, and a key it creates is committed whatever the caller does.
    """
    platform_key = _platform_key()
    with Session(db.engine) as session:
        bind_session(session, tenant)
        rows = _read_keys(session)
        if not rows:
            # One creator at a time; the second one finds the first one's key.
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                            {"k": f"{tenant.schema}.{KEY_TABLE}"})
            rows = _read_keys(session) or []
            if not rows:
                create_data_key(session, tenant)
                rows = _read_keys(session)
            session.commit()
    keys = {row.id: AESGCM(unwrap_key(platform_key, tenant.slug, bytes(row.wrapped_key)))
            for row in rows}
    return _TrustKeys(active_id=max(keys), keys=keys)


def _keys_for(tenant: Tenant) -> _TrustKeys:
    cache_key = (_fingerprint(_platform_key()), tenant.slug)
    keys = _cache.get(cache_key)
    if keys is None:
        with _lock:
            keys = _cache.get(cache_key)
            if keys is None:
                keys = _cache[cache_key] = _load(tenant)
    return keys


def _field_aad(slug: str, key_id: int, purpose: str) -> bytes:
    return f"peerpath-field:{slug}:{key_id}:{purpose}".encode()


def encrypt_field(tenant: Tenant, plaintext: str, purpose: str = "") -> str:
    keys = _keys_for(tenant)
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys.keys[keys.active_id].encrypt(
        nonce, plaintext.encode(), _field_aad(tenant.slug, keys.active_id, purpose))
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{TOKEN_VERSION}.{keys.active_id}.{body}"


def decrypt_field(tenant: Tenant, token: str, purpose: str = "") -> str:
    version, _, rest = (token or "").partition(".")
    key_part, _, body = rest.partition(".")
    if version != TOKEN_VERSION or not key_part.isdigit() or not body:
        raise DecryptionError("not an encrypted field")
    key_id = int(key_part)
    aead = _keys_for(tenant).keys.get(key_id)
    if aead is None:
        raise DecryptionError("this field's key is not one of this trust's keys")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:],
                             _field_aad(tenant.slug, key_id, purpose))
    except (InvalidTag, ValueError):
        raise DecryptionError("the field does not decrypt in this trust and column") from None
    return plain.decode()


def destroy_key(session: Session, tenant: Tenant) -> int:
    """Delete the trust's data keys (in `session`'s transaction) and forget them here.

    Everything encrypted with them becomes unreadable for good. Returns how many were deleted.
    """
    deleted = session.execute(text(f"DELETE FROM {KEY_TABLE}")).rowcount  # noqa: S608
    forget_keys(tenant.slug)
    return deleted


def forget_keys(slug: str) -> None:
    """Drop a trust's unwrapped keys from this process's cache."""
    with _lock:
        for cache_key in [k for k in _cache if k[1] == slug]:
            del _cache[cache_key]


class EncryptedText(TypeDecorator):
    """A text column stored as an AES-GCM token under the current trust's data key.

    `purpose` (e.g. "applications.narrative") is bound into the ciphertext, so a value
    copied into another column does not decrypt there.
    """

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return encrypt_field(current_tenant(), str(value), self.purpose)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return decrypt_field(current_tenant(), value, self.purpose)
