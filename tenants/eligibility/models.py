"""A trust's EOI questions and eligibility rules, kept as numbered versions.

Questions and rules are saved together, because a rule is only valid against the questions
it refers to. A published version's content never changes: an edit saves a new version (a
draft), which the question builder (builder.py) may change in place until it is published;
publishing it makes it the one applications are judged against. An application records
the id of the version it was evaluated with, so its result can always be explained.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Text,
    event,
)
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


# A live version is what EOIs were answered on and are read against, so once published its
# questions and rules never change and it is never deleted (re-publishing it is allowed: it
# only moves published_at). Only a draft changes in place or is discarded.
# Tenant migration t0820_form_versions adds the same.
LIVE_UNCHANGED_FUNCTION = """CREATE FUNCTION eligibility_versions_live_unchanged()
RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  IF OLD.published_at IS NOT NULL AND (TG_OP = 'DELETE'
      OR NEW.questions IS DISTINCT FROM OLD.questions
      OR NEW.rule_set IS DISTINCT FROM OLD.rule_set OR NEW.number <> OLD.number) THEN
    RAISE EXCEPTION 'permission denied: a live form version cannot be changed or deleted'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$"""
LIVE_UNCHANGED_TRIGGER = """CREATE TRIGGER eligibility_versions_live_unchanged
BEFORE UPDATE OR DELETE ON eligibility_versions FOR EACH ROW
EXECUTE FUNCTION eligibility_versions_live_unchanged()"""
for _ddl in (LIVE_UNCHANGED_FUNCTION, LIVE_UNCHANGED_TRIGGER):
    event.listen(EligibilityVersion.__table__, "after_create", DDL(_ddl))
