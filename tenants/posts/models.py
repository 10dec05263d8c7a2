"""Teams (the trust's own teams and services, partner organisations, volunteering hosts),
the posts they offer, what completers want from work, and each person's candidacy for a
post (interested, interviewing, placed)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

TEAM_KINDS = ("trust_team", "partner_organisation", "volunteering")
POST_ROLES = ("psw", "other")
POST_STATUSES = ("planned", "advertised", "filled", "closed")
CANDIDACY_STATUSES = ("interested", "interviewing", "placed", "not_placed")


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Team(TenantBase):
    """A community mental health team or another service of the trust, a partner
    organisation, or a place that hosts volunteers (e.g. the Recovery College)."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    locality: Mapped[str | None] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30), default="trust_team",
                                      server_default="trust_team")
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (CheckConstraint(f"kind IN {_in(TEAM_KINDS)}", name="kind"),)


class Post(TenantBase):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="psw", server_default="psw")
    hours_per_week: Mapped[float | None] = mapped_column(Numeric(4, 1))
    band: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="planned",
                                        server_default="planned", index=True)
    advert_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        CheckConstraint(f"role IN {_in(POST_ROLES)}", name="role"),
        CheckConstraint(f"status IN {_in(POST_STATUSES)}", name="status"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 80", name="hours_per_week"),
    )


class WorkPreference(TenantBase):
    """What a completer wants from work, as they told the team: matched against posts."""

    __tablename__ = "work_preferences"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"),
                                                primary_key=True)
    wants_work: Mapped[bool] = mapped_column(Boolean)
    locality: Mapped[str | None] = mapped_column(String(120))
    max_hours_per_week: Mapped[float | None] = mapped_column(Numeric(4, 1))
    updated_by: Mapped[str] = mapped_column(String(340))
    updated_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (CheckConstraint(
        "max_hours_per_week > 0 AND max_hours_per_week <= 80", name="max_hours_per_week"),)


class Candidacy(TenantBase):
    """One completer's interest in one post, through interview to placement."""

    __tablename__ = "post_candidacies"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="interested",
                                        server_default="interested")
    interview_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    placed_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(340))
    created_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        UniqueConstraint("post_id", "application_id"),
        CheckConstraint(f"status IN {_in(CANDIDACY_STATUSES)}", name="status"),
    )
