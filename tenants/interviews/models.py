"""Interview slots, their panels, bookings (one applicant per slot, one slot per
application: both are unique constraints, so concurrent bookings cannot overbook) and the
structured interview record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerpath.crypto import EncryptedText
from peerpath.models import TenantBase, utcnow_column

OUTCOMES = ("recommend", "reserve", "not_successful")


class InterviewCriterion(TenantBase):
    """What the trust scores at interview (e.g. the PSW competences), 1 to 4 each."""

    __tablename__ = "interview_criteria"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class InterviewSlot(TenantBase):
    __tablename__ = "interview_slots"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (CheckConstraint("starts_at < ends_at", name="times_in_order"),)


class SlotPanelMember(TenantBase):
    __tablename__ = "interview_slot_panel"

    slot_id: Mapped[int] = mapped_column(
        ForeignKey("interview_slots.id", ondelete="CASCADE"), primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        ForeignKey("coordinators.id", ondelete="CASCADE"), primary_key=True, index=True)


class InterviewBooking(TenantBase):
    __tablename__ = "interview_bookings"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("interview_slots.id"), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    # Reasonable adjustments asked for at booking: shown to the panel, health data.
    adjustments: Mapped[str | None] = mapped_column(
        EncryptedText("interview_bookings.adjustments"))
    booked_at: Mapped[dt.datetime] = utcnow_column()

    slot: Mapped[InterviewSlot] = relationship(lazy="joined")


class InterviewRecord(TenantBase):
    __tablename__ = "interview_records"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    scores: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
    notes: Mapped[str | None] = mapped_column(EncryptedText("interview_records.notes"))
    outcome: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(340))
    recorded_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (CheckConstraint(
        "outcome IN ('recommend', 'reserve', 'not_successful')", name="outcome"),)
