from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column


class PrivacyNotice(TenantBase):
    """One published version of the trust's privacy notice. Append-only: a change is a new
    version, so the trust can show which text an applicant was shown."""

    __tablename__ = "privacy_notices"
    __table_args__ = {"info": {"append_only": True}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    body: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = utcnow_column()
    published_by: Mapped[str] = mapped_column(String(340))
