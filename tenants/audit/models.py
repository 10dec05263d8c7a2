from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, String
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column


class AuditEvent(TenantBase):
    """Who did what to which record, from where. Append-only: the trust role may insert and
    read, never update or delete (see APPEND_ONLY_TABLES). Holds ids, never health data."""

    __tablename__ = "audit_events"
    __table_args__ = {"info": {"append_only": True}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[dt.datetime] = utcnow_column(index=True)
    actor: Mapped[str] = mapped_column(String(340))
    action: Mapped[str] = mapped_column(String(80), index=True)
    record_type: Mapped[str | None] = mapped_column(String(60))
    record_id: Mapped[str | None] = mapped_column(String(60))
    ip: Mapped[str | None] = mapped_column(INET)
    detail: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
