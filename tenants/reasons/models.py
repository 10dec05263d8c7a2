"""A trust's reasons for decisions. A reason is never changed in place nor deleted: editing
retires the old row and adds its next version, so history keeps the words it was given."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

# The decisions that carry a reason, in pipeline order (each is the stage it moves to).
KINDS = ("not_eligible", "not_shortlisted", "not_successful", "withdrawn")
KIND_LABELS = {"not_eligible": "Not eligible", "not_shortlisted": "Not shortlisted",
               "not_successful": "Not successful at interview", "withdrawn": "Withdrawal"}


class DecisionReason(TenantBase):
    __tablename__ = "decision_reasons"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    # Stable across versions, so reports count a reason whose wording was improved as one.
    key: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    label: Mapped[str] = mapped_column(String(200))  # what coordinators choose from
    feedback: Mapped[str] = mapped_column(Text)  # what the applicant reads: kind, plain words
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = utcnow_column()
    created_by: Mapped[str] = mapped_column(String(340))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("kind IN ('not_eligible', 'not_shortlisted', 'not_successful', "
                        "'withdrawn')", name="kind"),
    )
