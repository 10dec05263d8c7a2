"""The two demo trusts, from the public pages in shared/seeds (role titles, example addresses).

Idempotent: running it again keeps what exists and the passwords already handed out.
Passwords are random, written to a 0600 file under .peerpath/ and printed by `make run`;
none is in the code or in any configuration.

DEMO ONLY: coordinators must use two-factor authentication, so the demo coordinators are
pre-enrolled with a random TOTP secret kept in the same file (under "totp_secrets") and
printed as an otpauth:// URI; `peerpath demo codes` prints their current codes. Real
coordinators enrol themselves at first sign-in and their secret is never shown again.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import pyotp
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerpath import trust_admin, twofactor
from peerpath.auth import hash_password, verify_password
from peerpath.extensions import db
from peerpath.models import PlatformAdmin, Trust
from peerpath.tenancy import find_tenant, tenant_context
from tenants import seed_demo_trust
from tenants.coordinators.service import create_coordinator, find_by_email

PLATFORM_ADMIN_EMAIL = "platform-admin@peerpath.example"

DEMO_TRUSTS = (
    {
        "slug": "leicestershire",
        "display_name": "Leicestershire Partnership NHS Trust",
        "hosts": ["leicestershire.localhost"],
        "contact_email": "peer-support@leicestershire.nhs.example",
        "contact_phone": "0116 496 0000",
        "coordinator": ("community.development.leader@leicestershire.nhs.example",
                        "Community Development Leader"),
    },
    {
        "slug": "norfolk-suffolk",
        "display_name": "Norfolk and Suffolk NHS Foundation Trust",
        "hosts": ["norfolk-suffolk.localhost"],
        "contact_email": "peer-support@norfolk-suffolk.nhs.example",
        "contact_phone": "01632 960000",
        "coordinator": ("peer.support.course.coordinator@norfolk-suffolk.nhs.example",
                        "Peer Support Course Coordinator"),
    },
)


def _load(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _save(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2)


def _password_for(saved: dict, email: str) -> str:
    saved.setdefault(email, secrets.token_urlsafe(12))
    return saved[email]


def _demo_totp_secret(saved: dict, email: str) -> str:
    """DEMO ONLY: a TOTP secret kept in the demo credentials file, so `make run` can print it."""
    return saved.setdefault("totp_secrets", {}).setdefault(email, twofactor.new_secret())


def demo_totp_codes(credentials_path: Path) -> dict[str, str]:
    """DEMO ONLY: each pre-enrolled demo account's current code."""
    secrets_by_email = _load(credentials_path).get("totp_secrets", {})
    return {email: pyotp.TOTP(secret).now() for email, secret in secrets_by_email.items()}


def _ensure_admin(saved: dict) -> None:
    password = _password_for(saved, PLATFORM_ADMIN_EMAIL)
    with Session(db.engine) as session, session.begin():
        admin = session.scalars(
            select(PlatformAdmin).where(PlatformAdmin.email == PLATFORM_ADMIN_EMAIL)
        ).one_or_none()
        if admin is None:
            session.add(PlatformAdmin(email=PLATFORM_ADMIN_EMAIL,
                                      password_hash=hash_password(password)))
        elif not verify_password(admin.password_hash, password):
            admin.password_hash = hash_password(password)


def _ensure_trust(facts: dict, saved: dict) -> None:
    with Session(db.engine) as session:
        exists = session.scalar(select(Trust.id).where(Trust.slug == facts["slug"]))
    if not exists:
        trust_admin.onboard(slug=facts["slug"], display_name=facts["display_name"],
                            hosts=facts["hosts"], contact_email=facts["contact_email"],
                            contact_phone=facts["contact_phone"], actor="demo seed")
    email, title = facts["coordinator"]
    password = _password_for(saved, email)
    totp_secret = _demo_totp_secret(saved, email)
    with tenant_context(find_tenant(facts["slug"])) as tenant:
        coordinator = find_by_email(db.session, email)
        if coordinator is None:
            coordinator = create_coordinator(db.session, email=email, display_name=title,
                                             role="lead", password=password,
                                             totp_secret=totp_secret)
        elif not verify_password(coordinator.password_hash, password):
            coordinator.password_hash = hash_password(password)
        if coordinator.totp_secret is None or twofactor.decrypt_secret(
                coordinator.totp_secret, realm="trust", scope=tenant.slug) != totp_secret:
            coordinator.totp_secret = twofactor.encrypt_secret(totp_secret, realm="trust",
                                                               scope=tenant.slug)
        seed_demo_trust(db.session, tenant)
        db.session.commit()


def seed(credentials_path: Path) -> list[dict]:
    saved = _load(credentials_path)
    _ensure_admin(saved)
    for facts in DEMO_TRUSTS:
        _ensure_trust(facts, saved)
    _save(credentials_path, saved)
    base = current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:8000"
    logins = [{"where": f"{base}/admin/", "email": PLATFORM_ADMIN_EMAIL,
               "password": saved[PLATFORM_ADMIN_EMAIL]}]
    for facts in DEMO_TRUSTS:
        email = facts["coordinator"][0]
        secret = saved["totp_secrets"][email]
        logins.append({"where": f"{base}/trusts/{facts['slug']}/coordinator/",
                       "email": email, "password": saved[email], "totp_secret": secret,
                       "otpauth": twofactor.provisioning_uri(
                           secret, email, f"PeerPath demo: {facts['display_name']}")})
    return logins
