"""Coordinators' notes on an application (free text may hold health data: encrypted)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.crypto import EncryptedText
from peerpath.models import TenantBase, utcnow_column


class ApplicationNote(TenantBase):
    __tablename__ = "application_notes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    author: Mapped[str] = mapped_column(String(340))
    body: Mapped[str] = mapped_column(EncryptedText("application_notes.body"))
    created_at: Mapped[dt.datetime] = utcnow_column()
