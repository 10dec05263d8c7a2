"""Drop-in information sessions and the places people book at them.

A booking holds a name, a way to reach the person (e-mail or phone) and any access needs:
personal data, shown only to the trust's coordinators (every view is audited). One person
(by e-mail or by phone) holds at most one live booking per session; a unique index makes
that true even when two requests race.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from peerpath.models import TenantBase, utcnow_column


class InfoSession(TenantBase):
    __tablename__ = "info_sessions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[dt.date] = mapped_column(Date, index=True)
    starts_at: Mapped[dt.time] = mapped_column(Time)
    ends_at: Mapped[dt.time] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None] = mapped_column(Integer)
    access_notes: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = utcnow_column()

    bookings: Mapped[list[Booking]] = relationship(back_populates="info_session",
                                                   order_by="Booking.id")

    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="times_in_order"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("place IS NOT NULL OR online_url IS NOT NULL", name="somewhere"),
    )


class Booking(TenantBase):
    __tablename__ = "info_session_bookings"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    info_session_id: Mapped[int] = mapped_column(ForeignKey("info_sessions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    access_needs: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = utcnow_column()
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    info_session: Mapped[InfoSession] = relationship(back_populates="bookings")

    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="contact"),
        Index("uq_info_session_bookings_email", "info_session_id", func.lower(email),
              unique=True, postgresql_where=text("cancelled_at IS NULL AND email IS NOT NULL")),
        Index("uq_info_session_bookings_phone", "info_session_id", "phone", unique=True,
              postgresql_where=text("cancelled_at IS NULL AND phone IS NOT NULL")),
    )


# Live (not cancelled) bookings, for lists: loaded only when asked for, with
# `undefer(InfoSession.booked)`, so a page of sessions costs one query. Capacity checks
# count afresh under their lock (service.live_bookings).
InfoSession.booked = column_property(
    select(func.count(Booking.id)).where(Booking.info_session_id == InfoSession.id,
                                         Booking.cancelled_at.is_(None))
    .correlate_except(Booking).scalar_subquery(),
    deferred=True)
