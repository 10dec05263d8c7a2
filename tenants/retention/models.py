from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.crypto import EncryptedText
from peerpath.models import TenantBase, utcnow_column


class RetentionRule(TenantBase):
    """How long the trust keeps one category of records; months NULL = kept."""

    __tablename__ = "retention_rules"

    category: Mapped[str] = mapped_column(String(60), primary_key=True)
    months: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = utcnow_column()
    updated_by: Mapped[str] = mapped_column(String(340))


class RetentionRun(TenantBase):
    """One run of the retention job: counts per anonymiser, and which ones failed (the
    error's type only: messages can quote data). Append-only."""

    __tablename__ = "retention_runs"
    __table_args__ = {"info": {"append_only": True}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = utcnow_column()
    trigger: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(340))
    status: Mapped[str] = mapped_column(String(20))
    counts: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    errors: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")


class ErasureRecord(TenantBase):
    """An erasure done on request: who, when, why, what was kept and why. Append-only."""

    __tablename__ = "erasure_records"
    __table_args__ = {"info": {"append_only": True}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subject_ref: Mapped[str] = mapped_column(String(60), index=True)
    erased_at: Mapped[dt.datetime] = utcnow_column()
    erased_by: Mapped[str] = mapped_column(String(340))
    reason: Mapped[str] = mapped_column(EncryptedText("retention.erasure_reason"))
    kept: Mapped[str | None] = mapped_column(EncryptedText("retention.erasure_kept"))
    counts: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
