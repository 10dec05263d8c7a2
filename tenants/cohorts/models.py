"""Courses and cohorts: what the training is, and one intake's calendar and places."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

FORMATS = ("classroom", "placement", "mixed")


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

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("eoi_opens_on <= eoi_closes_on AND eoi_closes_on <= starts_on",
                        name="dates_in_order"),
    )
