from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column


class DataKey(TenantBase):
    """The trust's AES-256 data key, wrapped (AES-GCM) by the platform key. Never unwrapped
    here: peerpath.crypto does that in memory. Dropping the schema destroys it."""

    __tablename__ = "data_keys"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = utcnow_column()
