from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column


class TrustPage(TenantBase):
    """The blocks a lead writes for the trust's public page: one row per trust."""

    __tablename__ = "trust_page"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False,
                                    default=1)
    about: Mapped[str | None] = mapped_column(Text)
    who_for: Mapped[str | None] = mapped_column(Text)
    after_applying: Mapped[str | None] = mapped_column(Text)
    postal_address: Mapped[str | None] = mapped_column(Text)
    postal_deadline: Mapped[dt.date | None] = mapped_column(Date)
    places_limited: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default="false")
    course_is_free: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    # A Disability Confident employer guarantees an interview to disabled applicants who
    # meet the criteria (tenants.applications.service.is_disability_confident).
    disability_confident: Mapped[bool] = mapped_column(Boolean, default=True,
                                                       server_default="true")
    contact_role: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = utcnow_column()


class Story(TenantBase):
    """A past trainee's story, shown on the public page while their consent stands."""

    __tablename__ = "stories"
    __table_args__ = (CheckConstraint(
        "photo IS NULL OR (photo_type IN ('image/jpeg', 'image/png') AND photo_alt IS NOT NULL)",
        name="photo_described"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # By role, never by name: "A peer support worker in a community team".
    role_title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    photo_type: Mapped[str | None] = mapped_column(String(20))
    photo_alt: Mapped[str | None] = mapped_column(String(300))
    consent_given_on: Mapped[dt.date] = mapped_column(Date)
    consent_recorded_by: Mapped[str] = mapped_column(String(340))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = utcnow_column()
