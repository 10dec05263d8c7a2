"""Training: the completion rule per cohort, attendance per training day, placement hours,
outcomes after completion and their follow-ups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

ATTENDANCE = ("present", "absent", "authorised_absence")
OUTCOME_KINDS = ("paid_psw_post", "other_trust_role", "partner_organisation", "volunteering",
                 "studying", "not_yet", "something_else")
FOLLOW_UP_MONTHS = (3, 6, 12)


class CompletionRule(TenantBase):
    """How much of the training someone must attend to complete it (per cohort)."""

    __tablename__ = "cohort_completion_rules"

    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"),
                                           primary_key=True)
    min_attendance_percent: Mapped[int] = mapped_column(Integer, default=80,
                                                        server_default="80")
    min_placement_hours: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (CheckConstraint(
        "min_attendance_percent BETWEEN 0 AND 100 AND min_placement_hours >= 0",
        name="in_range"),)


class Attendance(TenantBase):
    __tablename__ = "training_attendance"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    training_day_id: Mapped[int] = mapped_column(
        ForeignKey("training_days.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(String(340))
    recorded_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        UniqueConstraint("training_day_id", "application_id"),
        CheckConstraint("status IN ('present', 'absent', 'authorised_absence')",
                        name="status"),
    )


class PlacementHours(TenantBase):
    __tablename__ = "placement_hours"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    on_date: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Numeric(5, 2))
    recorded_by: Mapped[str] = mapped_column(String(340))
    recorded_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (CheckConstraint("hours > 0 AND hours <= 24", name="hours"),)


class Outcome(TenantBase):
    """One thing heard about what someone went on to after training: a history, newest last
    (volunteering at 3 months, a paid post at 12), recorded by a coordinator or answered by
    the applicant at a follow-up."""

    __tablename__ = "training_outcomes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str | None] = mapped_column(String(300))
    hours_per_week: Mapped[float | None] = mapped_column(Numeric(4, 1))
    wants_support: Mapped[bool | None] = mapped_column(Boolean)
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_follow_ups.id", ondelete="SET NULL"))
    recorded_by: Mapped[str] = mapped_column(String(340))
    recorded_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        CheckConstraint("kind IN ('paid_psw_post', 'other_trust_role', 'partner_organisation', "
                        "'volunteering', 'studying', 'not_yet', 'something_else')",
                        name="kind"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 80", name="hours_per_week"),
    )


class FollowUp(TenantBase):
    """A follow-up 3, 6 or 12 months after completion: its message is queued for that day."""

    __tablename__ = "training_follow_ups"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    months: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    outbox_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str | None] = mapped_column(String(30))  # the outcome heard at follow-up
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("application_id", "months"),
        CheckConstraint("months IN (3, 6, 12)", name="months"),
    )


class Deferral(TenantBase):
    """A place moved to a later cohort of the same course. The application keeps its
    history; this row links the two cohorts. `to_cohort_id` is empty while the deferral
    waits for a next cohort with a free place (it is reinstated when one is set up)."""

    __tablename__ = "place_deferrals"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    from_cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"))
    to_cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    stage_held: Mapped[str] = mapped_column(String(20))  # the place is reinstated at this
    reason: Mapped[str | None] = mapped_column(String(500))
    by_applicant: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    deferred_by: Mapped[str] = mapped_column(String(340))
    deferred_at: Mapped[dt.datetime] = utcnow_column()
    reinstated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("stage_held IN ('place_offered', 'place_accepted')",
                        name="stage_held"),
    )
