"""A trust's EOI questions and eligibility rules, kept as numbered versions.

Questions and rules are saved together, because a rule is only valid against the questions
it refers to. A published version's content never changes: an edit saves a new version (a
draft), which the question builder (builder.py) may change in place until it is published;
publishing it makes it the one applications are judged against. An application records
the id of the version it was evaluated with, so its result can always be explained.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column


class EligibilityVersion(TenantBase):
    __tablename__ = "eligibility_versions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    questions: Mapped[list] = mapped_column(JSONB)
    rule_set: Mapped[dict] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("coordinators.id"))
    created_at: Mapped[dt.datetime] = utcnow_column()
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint("number > 0", name="number_positive"),)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
