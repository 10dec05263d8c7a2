"""Reply-by deadlines: an interview invitation or a place offer is answered by a date.

Moving into one of REPLY_STAGES sets the application's `reply_by` (the trust's reply
window, tenants.applications.timings: working days on, bank holidays skipped) and queues
a reminder for the working day before. Leaving the stage clears both. The day after the
reply-by date, the daily deadline job (worker.deadlines) calls `lapse_overdue`: the lapse
is a stage change like any other (service.transition), so the place it frees goes to the
next person on the waiting list (training.reactions) and the applicant's reminders are
taken back (reactions). A coordinator may give longer (`extend`, within the cohort's
calendar); the applicant is told the new date.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from peerpath.datewords import nhs_date
from peerpath.refusal import Refused
from tenants.applications import links, messages, timings
from tenants.applications.models import Applicant, Application
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.cohorts.calendar import LONDON, add_working_days, is_working_day
from tenants.cohorts.models import Cohort
from tenants.notifications.service import withdraw_unsent

REMINDER = "reply_by_reminder"
LAPSED = "reply_by_lapsed"
EXTENDED = "reply_by_extended"
REMIND_AT = dt.time(9, 0)  # London time on the working day before the reply-by date
SYSTEM = "system:deadlines"
# What the applicant is answering, in words for their messages.
REPLY_STAGES = {"interview_invited": "your invitation to an interview",
                "place_offered": "the training place we offered you"}


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def reply_by(application: Application, *, on: dt.date | None = None) -> dt.date:
    """The application's reply-by date, set on first asking (each reaction to the same move
    gets the same date, whichever runs first): the trust's reply window from today."""
    if application.reply_by is None:
        days = timings.reply_days(object_session(application))
        application.reply_by = add_working_days(on or today(), days)
    return application.reply_by


def in_words(day: dt.date) -> str:
    return nhs_date(day)


def queue_reminder(session, application: Application, *, actor: str,
                   now: dt.datetime | None = None) -> bool:
    """(Re)queue the applicant's reminder for the working day before the reply-by date;
    False when that moment has already passed."""
    withdraw_unsent(session, REMINDER, ("application", application.id))
    deadline = reply_by(application)
    due = dt.datetime.combine(add_working_days(deadline, -1), REMIND_AT, LONDON)
    if due <= (now or dt.datetime.now(dt.UTC)):
        return False
    applicant = session.get(Applicant, application.applicant_id)
    messages.queue(session, REMINDER, applicant, actor=actor, application=application,
                   not_before=due, about=REPLY_STAGES[application.stage],
                   respond_by=in_words(deadline), sign_in_link=links.sign_in_link())
    return True


def follow_stage(session, application: Application, from_stage: str, *, actor: str,
                 notify: bool = True) -> None:
    """Keep the deadline in step with a stage change (called by reactions). Someone not
    sent the invitation or offer (the coordinator told them another way) gets no
    reminder from us either."""
    if application.stage in REPLY_STAGES and notify:
        queue_reminder(session, application, actor=actor)
    elif from_stage in REPLY_STAGES:
        withdraw_unsent(session, REMINDER, ("application", application.id))
        application.reply_by = None


def latest_reply_by(session, application: Application) -> tuple[dt.date, str]:
    """The last sensible reply-by date, and why: an interview invitation is answered by the
    end of interview week (or before training starts, without one), an offer before the
    first training day."""
    cohort = session.get(Cohort, application.cohort_id)
    before_training = add_working_days(gates.first_training_day(cohort), -1)
    week = gates.interview_week(cohort)
    if application.stage == "interview_invited" and week and week[1] < before_training:
        return add_working_days(week[1] + dt.timedelta(days=1), -1), \
            "the last working day of interview week"
    return before_training, "the last working day before training starts"


def extend(session, application: Application, new_date: dt.date, *, actor: str,
           on: dt.date | None = None) -> None:
    """A coordinator gives the applicant longer to reply: a later working day, not in the
    past, inside the cohort's calendar (latest_reply_by). The reminder moves and the
    applicant is told the new date. The audit keeps the dates only: why someone needed
    longer may be about their health."""
    if application.stage not in REPLY_STAGES or application.reply_by is None:
        raise Refused("Only an interview invitation or a place offer has a reply-by date")
    day = on or today()
    latest, why = latest_reply_by(session, application)
    if new_date < day:
        raise Refused(f"The new date cannot be in the past: today is {in_words(day)}",
                      field="reply_by")
    if new_date <= application.reply_by:
        raise Refused(f"Choose a date after {in_words(application.reply_by)}",
                      field="reply_by")
    if not is_working_day(new_date):
        raise Refused(f"{in_words(new_date)} is not a working day: choose a weekday that "
                      "is not a bank holiday", field="reply_by")
    if new_date > latest:
        raise Refused(f"Choose a date no later than {in_words(latest)}, {why}",
                      field="reply_by")
    old = application.reply_by
    application.reply_by = new_date
    queue_reminder(session, application, actor=actor)
    applicant = session.get(Applicant, application.applicant_id)
    messages.queue(session, EXTENDED, applicant, actor=actor, application=application,
                   about=REPLY_STAGES[application.stage], respond_by=in_words(new_date),
                   sign_in_link=links.sign_in_link())
    record("application.reply_by_extended", "application", application.id, actor=actor,
           detail={"from": old.isoformat(), "to": new_date.isoformat()}, session=session)


def _still_overdue(session, application_id: int, day: dt.date) -> Application | None:
    """Lock the application's cohort, then the application, and read it afresh: None if it
    was answered, extended or lapsed meanwhile. Cohort first, as an offer or an acceptance
    does, so a lapse and an offer of the place it frees never wait on each other in a
    circle."""
    cohort_id = session.scalar(select(Application.cohort_id).where(
        Application.id == application_id))
    session.execute(select(Cohort.id).where(Cohort.id == cohort_id).with_for_update())
    return session.scalars(
        select(Application).where(Application.id == application_id,
                                  Application.stage.in_(tuple(REPLY_STAGES)),
                                  Application.reply_by < day)
        .with_for_update().execution_options(populate_existing=True)).one_or_none()


def replies_due_between(session, cohort_id: int, first: dt.date, last: dt.date) -> int:
    """Invitations and offers of the cohort whose reply-by date falls in first..last."""
    return session.scalar(select(func.count()).select_from(Application).where(
        Application.cohort_id == cohort_id, Application.stage.in_(tuple(REPLY_STAGES)),
        Application.reply_by.between(first, last)))


def lapse(session, application: Application, *, on: dt.date | None = None) -> bool:
    """The reply-by date passed without an answer: the invitation or offer lapses (a stage
    change, so the freed place goes to the waiting list) and the applicant is told kindly.
    False when it no longer needs to (answered, extended or lapsed by another run)."""
    from tenants.applications.service import transition

    overdue = _still_overdue(session, application.id, on or today())
    if overdue is None:
        return False
    about, deadline = REPLY_STAGES[overdue.stage], overdue.reply_by
    transition(session, overdue, "withdrawn", actor=SYSTEM, notify=False,
               reason=f"No reply by {in_words(deadline)}: {about} lapsed")
    applicant = session.get(Applicant, overdue.applicant_id)
    messages.queue(session, LAPSED, applicant, actor=SYSTEM, application=overdue,
                   about=about, respond_by=in_words(deadline), sign_in_link=links.sign_in_link())
    return True


def lapse_overdue(session, *, on: dt.date | None = None) -> list[int]:
    """Lapse every invitation and offer whose reply-by date is before `on`; returns the ids
    this run lapsed. Each is re-read under lock (see _still_overdue), so two runs at once
    never lapse one twice."""
    day = on or today()
    overdue = list(session.scalars(
        select(Application).where(Application.stage.in_(tuple(REPLY_STAGES)),
                                  Application.reply_by < day)
        .order_by(Application.reply_by, Application.id)))
    return [application.id for application in overdue if lapse(session, application, on=day)]
