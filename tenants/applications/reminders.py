"""Reminders to applicants, 24 hours ahead: of a booked interview and of each training day.

Each is an outbox row queued in the caller's transaction with `not_before`, tied to the
application (related ("application", id)), so it can be taken back while unsent: when the
interview is moved or cancelled, or the person withdraws, defers or is not successful
(reactions.follow_with_reminders, on every stage change).
Bodies carry a date, a time, a place and a link to the signed-in page: nothing else.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.datewords import nhs_date, time_range
from tenants.applications import messages
from tenants.cohorts.calendar import LONDON
from tenants.notifications.service import withdraw_unsent

INTERVIEW = "interview_reminder"
TRAINING_DAY = "training_day_reminder"
LEAD = dt.timedelta(hours=24)
# Moves after which no reminder should reach the person any more: they left, were told
# no, finished the training or have their outcome recorded.
LEAVING = frozenset({"withdrawn", "deferred", "not_successful", "not_eligible",
                     "not_shortlisted", "completed", "outcome_recorded"})


def _due(starts_at: dt.datetime, now: dt.datetime | None) -> dt.datetime | None:
    """When to remind of something starting at `starts_at`; None if that time has passed."""
    remind_at = starts_at - LEAD
    return remind_at if remind_at > (now or dt.datetime.now(dt.UTC)) else None


def queue_interview(session, application, applicant, starts_at: dt.datetime, *, actor: str,
                    now: dt.datetime | None = None, **personalisation) -> bool:
    """Queue the interview reminder (after taking back any earlier one); False if the
    interview is less than 24 hours away."""
    withdraw(session, application.id, INTERVIEW)
    due = _due(starts_at, now)
    if due is None:
        return False
    messages.queue(session, INTERVIEW, applicant, actor=actor, application=application,
                   not_before=due, **personalisation)
    return True


def queue_training_days(session, application, applicant, *, actor: str, sign_in_link: str,
                        now: dt.datetime | None = None) -> int:
    """One reminder per training day of the application's cohort still more than 24 hours
    away (earlier unsent ones are taken back first); returns how many were queued."""
    from tenants.cohorts.models import TrainingDay

    withdraw(session, application.id, TRAINING_DAY)
    days = session.scalars(select(TrainingDay).where(
        TrainingDay.cohort_id == application.cohort_id).order_by(TrainingDay.on_date))
    queued = 0
    for day in days:
        due = _due(dt.datetime.combine(day.on_date, day.starts_at, LONDON), now)
        if due is None:
            continue
        messages.queue(session, TRAINING_DAY, applicant, actor=actor, application=application,
                       not_before=due, training_date=nhs_date(day.on_date),
                       training_time=time_range(day.starts_at, day.ends_at),
                       training_place=day.place, sign_in_link=sign_in_link)
        queued += 1
    return queued


def withdraw(session, application_id: int, *templates: str) -> int:
    """Take back the application's unsent reminders (both kinds unless named)."""
    return sum(withdraw_unsent(session, key, ("application", application_id))
               for key in templates or (INTERVIEW, TRAINING_DAY))


def resync_cohort(session, cohort_id: int, *, actor: str) -> int:
    """After a training day is added or removed: queue the reminders again for everyone
    holding an accepted place or in training on the cohort. Returns how many were queued."""
    from tenants.applications.links import sign_in_link
    from tenants.applications.models import Applicant, Application

    rows = session.execute(
        select(Application, Applicant).join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id,
               Application.stage.in_(("place_accepted", "in_training")))).all()
    link = sign_in_link() if rows else ""
    return sum(queue_training_days(session, application, applicant, actor=actor,
                                   sign_in_link=link) for application, applicant in rows)
