"""Courses and cohorts: what the training is, and one intake's calendar and places."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peerpath.models import TenantBase, utcnow_column

FORMATS = ("classroom", "placement", "mixed")
DAY_KINDS = ("classroom", "placement")


class Course(TenantBase):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    length_weeks: Mapped[int] = mapped_column(Integer)
    training_days: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(20))
    locations: Mapped[list[str]] = mapped_column(ARRAY(String(300)), default=list,
                                                 server_default="{}")
    leads_to: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        CheckConstraint("length_weeks > 0 AND training_days > 0", name="positive"),
        CheckConstraint("format IN ('classroom', 'placement', 'mixed')", name="format"),
    )


class Cohort(TenantBase):
    """One intake: its course, places and calendar (the calendar drives the product)."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    eoi_opens_on: Mapped[dt.date] = mapped_column(Date)
    eoi_closes_on: Mapped[dt.date] = mapped_column(Date)
    shortlisting_week_of: Mapped[dt.date | None] = mapped_column(Date)
    interview_week_of: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    posts_advertised: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = utcnow_column()

    course: Mapped[Course] = relationship(lazy="joined")
    days: Mapped[list[TrainingDay]] = relationship(
        back_populates="cohort", order_by="TrainingDay.on_date",
        cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("eoi_opens_on <= eoi_closes_on AND eoi_closes_on <= starts_on",
                        name="dates_in_order"),
    )


class TrainingDay(TenantBase):
    """One day of a cohort's training: when, where, and whether classroom or placement."""

    __tablename__ = "training_days"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    on_date: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="classroom",
                                      server_default="classroom")

    cohort: Mapped[Cohort] = relationship(back_populates="days")

    __table_args__ = (
        UniqueConstraint("cohort_id", "on_date"),
        CheckConstraint("starts_at < ends_at", name="times_in_order"),
        CheckConstraint("kind IN ('classroom', 'placement')", name="kind"),
    )
