"""Platform tables of the admin console (schema `platform`; see migration p0100_admin)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from peerpath.extensions import db
from peerpath.models import PlatformBase, utcnow_column


def _admin_id() -> Mapped[int]:
    return mapped_column(ForeignKey("admins.id", ondelete="CASCADE"), index=True)


class RecoveryCode(PlatformBase):
    """A one-time second factor for an admin who lost their authenticator (stored hashed)."""

    __tablename__ = "admin_recovery_codes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    admin_id: Mapped[int] = _admin_id()
    code_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = utcnow_column()
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AdminApiToken(PlatformBase):
    """`pa_<id>_<secret>`: only a SHA-256 of the secret is kept."""

    __tablename__ = "admin_api_tokens"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    admin_id: Mapped[int] = _admin_id()
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = utcnow_column()
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class OnboardingRun(PlatformBase):
    """One request to onboard a trust, and how far it got (the console polls it)."""

    __tablename__ = "onboarding_runs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="queued", server_default="queued")
    step: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    requested_by: Mapped[str] = mapped_column(String(320))
    ip: Mapped[str | None] = mapped_column(INET)
    created_at: Mapped[dt.datetime] = utcnow_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")


class UpgradeRun(PlatformBase):
    """One `peerpath trusts upgrade`, with a result row per trust it touched."""

    __tablename__ = "upgrade_runs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    actor: Mapped[str] = mapped_column(String(320))
    head: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = utcnow_column()
    upgraded: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)


class UpgradeResultRow(PlatformBase):
    __tablename__ = "upgrade_results"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("upgrade_runs.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(41))
    before: Mapped[str | None] = mapped_column(String(32))
    after: Mapped[str | None] = mapped_column(String(32))
    ok: Mapped[bool] = mapped_column(Boolean)
    seconds: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)


class TrustExport(PlatformBase):
    """A data export made for hand-back to a trust: the zip's name, checksum and row counts."""

    __tablename__ = "trust_exports"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    trust_slug: Mapped[str] = mapped_column(String(41), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    tables: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = utcnow_column()


def platform_session() -> Session:
    """A short session on the platform schema whose objects stay readable after commit."""
    return Session(db.engine, expire_on_commit=False)
