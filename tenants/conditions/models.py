"""A trust's conditions on a place and each place's conditions.

A condition is never changed in place nor deleted: rewording retires the old row and adds
its next version, so a place keeps the words it was given. A place condition is pending,
met or not met, with the date and who recorded it; a lead may let someone start training
with conditions still unmet (an override, with a reason).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerpath.models import TenantBase, utcnow_column

STATUSES = ("pending", "met", "not_met")
STATUS_LABELS = {"pending": "Pending", "met": "Met", "not_met": "Not met"}


class Condition(TenantBase):
    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # Stable across versions (a reworded condition is the same condition).
    key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    label: Mapped[str] = mapped_column(String(200))  # what the team reads: "DBS check"
    # What the applicant reads after "We are waiting for": "your DBS check".
    waiting_for: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = utcnow_column()
    created_by: Mapped[str] = mapped_column(String(340))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PlaceCondition(TenantBase):
    """One condition on one application's place."""

    __tablename__ = "place_conditions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("conditions.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending",
                                        server_default="pending")
    attached_at: Mapped[dt.datetime] = utcnow_column()
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str | None] = mapped_column(String(340))

    condition: Mapped[Condition] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("application_id", "condition_id"),
        CheckConstraint("status IN ('pending', 'met', 'not_met')", name="status"),
    )


class ConditionOverride(TenantBase):
    """A lead's decision that someone may start training with conditions unmet."""

    __tablename__ = "place_condition_overrides"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    overridden_by: Mapped[str] = mapped_column(String(340))
    overridden_at: Mapped[dt.datetime] = utcnow_column()
