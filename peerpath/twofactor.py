"""Two-factor authentication for every realm: TOTP (RFC 6238) with replay protection, and
single-use recovery codes. Storage of the secret and of the code hashes belongs to the
realm (coordinators in the trust schema, admins in the platform schema); this module holds
the rules.

- Enrolment: `new_secret()`, `provisioning_uri()`, `qr_svg()` (inline SVG markup: no
  script, no external image, so it passes the CSP).
- Verification: `verify_code()` accepts the current 30-second step and one either side, and
  only a step later than the last one this user used (kept in Redis under
  `peerpath:totp-step:<realm>:<scope>:<user id>`, compared and set atomically), so a code
  seen over someone's shoulder cannot be replayed.
- Recovery codes: `new_recovery_codes()` (10, shown once), stored as salted SHA-256 hashes
  (`hash_recovery_code`); they carry 50 random bits each, so a slow hash adds nothing but
  latency. The realm marks a code used in the same transaction that accepts it.
- Secrets at rest: `encrypt_secret` / `decrypt_secret`. A coordinator's secret is sealed
  with its trust's data key (peerpath.crypto, AES-GCM bound to the trust), so it dies with
  the trust's key; an admin's with a key derived from the platform key (PEERPATH_DATA_KEY).
  Secrets stored earlier as "plain:" or "fernet:" (TOTP_ENCRYPTION_KEY) are still read.
  `set_cipher()` swaps the implementation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable

import pyotp
import segno
from cryptography.fernet import Fernet
from flask import current_app, g
from markupsafe import Markup

ISSUER = "PeerPath"
STEP_SECONDS = 30
VALID_WINDOW = 1  # steps either side of now: tolerates a phone clock 30 seconds out
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_STEP_MEMORY_SECONDS = 10 * 60  # longer than the window, so replays stay refused

# Set the key to `step` only if `step` is later than what it holds: one round trip, atomic.
_CLAIM_STEP = """
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > last then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


# --- TOTP ---------------------------------------------------------------------------------

def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, account_name: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_svg(uri: str, title: str = "QR code to set up your authenticator app") -> Markup:
    """The QR code as inline SVG markup, safe to put straight into a template."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, title=title,
                                                 svgclass="app-qr-code", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno's own output


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code this is, within the window around `at`; None if none."""
    code = normalise_code(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if at is None else at) // STEP_SECONDS)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def step_key(realm: str, scope: str, user_id: int) -> str:
    return f"peerpath:totp-step:{realm}:{scope}:{user_id}"


def claim_step(realm: str, scope: str, user_id: int, step: int) -> bool:
    """Record `step` as this user's last used step; False if it (or a later one) was used."""
    redis = current_app.extensions["redis"]
    return bool(redis.eval(_CLAIM_STEP, 1, step_key(realm, scope, user_id), step,
                           _STEP_MEMORY_SECONDS))


def verify_code(realm: str, scope: str, user_id: int, secret: str, code: str) -> bool:
    step = matching_step(secret, code)
    return step is not None and claim_step(realm, scope, user_id, step)


# --- recovery codes -----------------------------------------------------------------------

def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    def one() -> str:
        chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        return f"{chars[:5]}-{chars[5:]}"

    return [one() for _ in range(count)]


def normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").lower())


def hash_recovery_code(code: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((salt + normalise_recovery_code(code)).encode()).hexdigest()
    return f"sha256${salt}${digest}"


def recovery_code_matches(stored: str, code: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.sha256((salt + normalise_recovery_code(code)).encode()).hexdigest()
    return scheme == "sha256" and hmac.compare_digest(candidate, digest)


def find_recovery_code(stored: list[tuple[int, str]], code: str) -> int | None:
    """The id of the unused code that matches, from (id, hash) pairs; None if none does."""
    if not re.fullmatch(r"[a-z0-9]{10}", normalise_recovery_code(code)):
        return None
    return next((code_id for code_id, hashed in stored
                 if recovery_code_matches(hashed, code)), None)


# --- secrets at rest (seam for per-trust keys) ----------------------------------------------

def _trust(scope: str):
    from peerpath.tenancy import find_tenant

    tenant = g.get("tenant")
    return tenant if tenant is not None and tenant.slug == scope else find_tenant(scope)


def _platform_fernet() -> Fernet:
    derived = hashlib.sha256(b"peerpath-totp-platform:" + current_app.config["DATA_KEY"])
    return Fernet(base64.urlsafe_b64encode(derived.digest()))


def _default_encrypt(secret: str, realm: str, scope: str) -> str:
    from peerpath.crypto import encrypt_field

    if realm == "trust":
        return "field:" + encrypt_field(_trust(scope), secret, purpose="totp")
    return "platform:" + _platform_fernet().encrypt(secret.encode()).decode()


def _default_decrypt(stored: str, realm: str, scope: str) -> str:
    from peerpath.crypto import decrypt_field

    kind, _, body = stored.partition(":")
    if kind == "field":
        return decrypt_field(_trust(scope), body, purpose="totp")
    if kind == "platform":
        return _platform_fernet().decrypt(body.encode()).decode()
    if kind == "plain":
        return body
    if kind == "fernet":
        return Fernet(current_app.config["TOTP_ENCRYPTION_KEY"]).decrypt(body.encode()).decode()
    raise ValueError("unknown secret format")


_cipher: dict[str, Callable[[str, str, str], str]] = {
    "encrypt": _default_encrypt, "decrypt": _default_decrypt}


def set_cipher(encrypt: Callable[[str, str, str], str],
               decrypt: Callable[[str, str, str], str]) -> None:
    """Replace how secrets are sealed: both take (text, realm, scope)."""
    _cipher.update(encrypt=encrypt, decrypt=decrypt)


def encrypt_secret(secret: str, *, realm: str, scope: str) -> str:
    return _cipher["encrypt"](secret, realm, scope)


def decrypt_secret(stored: str, *, realm: str, scope: str) -> str:
    return _cipher["decrypt"](stored, realm, scope)
