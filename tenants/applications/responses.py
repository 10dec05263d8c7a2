"""Respond to every expression of interest, within the trust's number of working days.

An EOI *awaits a response* from the moment it is sent until someone on the team answers
it: a stage change made by a person (not the system's own eligibility check, not the
applicant withdrawing), or a response they record on the application page (a phone call,
an e-mail, a letter, a conversation at a drop-in). While it waits, it stays at "EOI
submitted" or "Eligibility checked" and has no `responded_at`. Its *respond-by* date is
the trust's number of working days (tenants.applications.timings; weekends and England and
Wales bank holidays do not count) after the London day it was received.

The coordinators' task list ("EOIs to respond to") reads `awaiting`; the daily deadline job
calls `chase`, which e-mails the team once, on the working day before EOIs fall due, with
a count and a link: never a name or anything the applicant wrote.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from peerpath.datewords import nhs_date
from peerpath.links import external_url
from peerpath.refusal import Refused
from tenants.applications import timings
from tenants.applications.events import StageChange, stage_changed
from tenants.applications.models import Applicant, Application, EoiChaser
from tenants.audit.service import record
from tenants.cohorts.calendar import LONDON, add_working_days
from tenants.cohorts.models import Cohort
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permits
from tenants.notifications.service import queue_message

AWAITING_STAGES = ("eoi_submitted", "eligibility_checked")
CHASER = "eoi_response_chaser"
TASK_LIST = "eoi_responses.index"
# How the team answered, when it was not a decision (recorded, audited; no free text, so
# nothing about the person's health can end up here).
HOW = {"phone": "By phone", "email": "By email", "letter": "By letter",
       "in_person": "In person (for example at a drop-in)"}


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def received_on(application: Application) -> dt.date:
    return application.submitted_at.astimezone(LONDON).date()


def respond_by(session, application: Application) -> dt.date:
    return add_working_days(received_on(application), timings.eoi_response_days(session))


def days_left_in_words(days: int) -> str:
    """'due today', 'due tomorrow', 'due in 4 days', '1 day overdue', '2 days overdue'."""
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days > 1:
        return f"due in {days} days"
    return f"{-days} day{'' if days == -1 else 's'} overdue"


@dataclass(frozen=True)
class Awaiting:
    application_id: int
    cohort_id: int
    cohort_name: str
    reference: str
    name: str
    received_on: dt.date
    respond_by: dt.date
    days_left: int  # calendar days from today; negative when overdue

    @property
    def in_words(self) -> str:
        return days_left_in_words(self.days_left)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _awaiting_query():
    return (select(Application, Applicant.name, Cohort.name)
            .join(Applicant, Applicant.id == Application.applicant_id)
            .join(Cohort, Cohort.id == Application.cohort_id)
            .where(Application.submitted_at.is_not(None), Application.responded_at.is_(None),
                   Application.stage.in_(AWAITING_STAGES)))


def awaiting(session, *, on: dt.date | None = None,
             cohort_id: int | None = None) -> list[Awaiting]:
    """Every EOI still waiting for the team's response, the least time left first."""
    day = on or today()
    days = timings.eoi_response_days(session)
    query = _awaiting_query()
    if cohort_id is not None:
        query = query.where(Application.cohort_id == cohort_id)
    rows = []
    for application, name, cohort_name in session.execute(query):
        due = add_working_days(received_on(application), days)
        rows.append(Awaiting(application.id, application.cohort_id, cohort_name,
                             application.reference, name, received_on(application), due,
                             (due - day).days))
    return sorted(rows, key=lambda row: (row.respond_by, row.received_on, row.application_id))


def last_overdue_receipt(day: dt.date, days: int) -> dt.date:
    """The latest London day an EOI could have arrived and be overdue on `day`: the respond-by
    date only moves forward with the day received, so every EOI received on or before it is
    overdue and every later one is not."""
    received = day - dt.timedelta(days=1)
    while add_working_days(received, days) >= day:
        received -= dt.timedelta(days=1)
    return received


def overdue_count(session, *, on: dt.date | None = None, cohort_id: int | None = None) -> int:
    """How many awaiting EOIs are past their respond-by date: one count in the database
    (the home page and the dashboard show it; `awaiting` would load every waiting EOI)."""
    last = last_overdue_receipt(on or today(), timings.eoi_response_days(session))
    before = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), LONDON)
    query = (select(func.count()).select_from(Application)
             .where(Application.submitted_at < before, Application.responded_at.is_(None),
                    Application.stage.in_(AWAITING_STAGES)))
    if cohort_id is not None:
        query = query.where(Application.cohort_id == cohort_id)
    return session.scalar(query)


def is_awaiting(application: Application) -> bool:
    return application.submitted_at is not None and application.responded_at is None and \
        application.stage in AWAITING_STAGES


def due(session, application: Application, *, on: dt.date | None = None
        ) -> tuple[dt.date, str] | None:
    """(respond-by date, time left in words) while the EOI awaits a response, else None."""
    if not is_awaiting(application):
        return None
    deadline = respond_by(session, application)
    return deadline, days_left_in_words((deadline - (on or today())).days)


def _by_a_person(actor: str) -> bool:
    return not actor.startswith(("system", "applicant:"))


def _mark(application: Application, actor: str) -> None:
    application.responded_at = dt.datetime.now(dt.UTC)
    application.responded_by = actor


@stage_changed.connect
def answered_by_a_decision(change: StageChange) -> None:
    """A person on the team moving the EOI on (or turning it down) answers it."""
    application = change.application
    if application.submitted_at is not None and application.responded_at is None and \
            change.to_stage != "eoi_submitted" and _by_a_person(change.actor):
        _mark(application, change.actor)


def record_response(session, application: Application, how: str, *, actor: str) -> None:
    """The team answered the EOI another way (a call, an e-mail, a letter, in person)."""
    if how not in HOW:
        raise Refused("Choose how you responded", field="how")
    if not is_awaiting(application):
        raise Refused("This expression of interest has already had a response")
    _mark(application, actor)
    record("application.eoi_responded", "application", application.id, actor=actor,
           detail={"how": how}, session=session)


def _count_in_words(count: int) -> str:
    return f"{count} expression{'' if count == 1 else 's'} of interest"


def team_to_chase(session) -> list[Coordinator]:
    """Everyone active who may act on applications (the permission table decides)."""
    return [person for person in session.scalars(
        select(Coordinator).where(Coordinator.active.is_(True)).order_by(Coordinator.id))
        if permits(person, "applications:write")]


def chase(session, *, on: dt.date | None = None) -> int:
    """On the working day before EOIs fall due, e-mail the team once about them; returns
    how many EOIs this run chased (0 when none fall due next, or another run already did).
    The chaser row's key (the due date) makes a second run, or two at once, a no-op."""
    day = on or today()
    due = add_working_days(day, 1)
    falling_due = [row for row in awaiting(session, on=day) if row.respond_by == due]
    if not falling_due:
        return 0
    first = session.execute(insert(EoiChaser).values(due_on=due, eois=len(falling_due))
                            .on_conflict_do_nothing().returning(EoiChaser.due_on)).first()
    if first is None:
        return 0
    link = external_url(TASK_LIST)
    for person in team_to_chase(session):
        queue_message(session, CHASER, {"email": person.email, "name": person.display_name,
                                        "preferred_channel": "email"},
                      {"count": _count_in_words(len(falling_due)), "due_date": nhs_date(due),
                       "task_list_link": link},
                      related=("eoi_chaser", due.isoformat()))
    return len(falling_due)
