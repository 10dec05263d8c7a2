"""Reviewers' recommendations on applications, and each cohort's finalised shortlist."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.crypto import EncryptedText
from peerpath.models import TenantBase, utcnow_column

RECOMMENDATIONS = ("shortlist", "reserve", "not_shortlisted")


class ShortlistReview(TenantBase):
    __tablename__ = "shortlist_reviews"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("coordinators.id"))
    recommendation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(EncryptedText("shortlist_reviews.note"))
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        CheckConstraint("recommendation IN ('shortlist', 'reserve', 'not_shortlisted')",
                        name="recommendation"),
    )


class ShortlistFinal(TenantBase):
    """Once a cohort's shortlist is final, reviewers may see who the applicants are."""

    __tablename__ = "shortlist_finals"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           primary_key=True)
    finalised_by: Mapped[str] = mapped_column(String(340))
    finalised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
