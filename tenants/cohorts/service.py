"""Courses and cohorts: calendar rules, the open cohort, and what the calendar means today.

For the applicant journey:
- ``open_cohort(session, today)``: the cohort whose EOI window contains today, or None;
- ``eoi_window_state(cohort, today)``: "not_open_yet", "open" or "closed";
- ``next_cohort(session, today)``: the next cohort whose window has not opened (to tell
  people when to come back);
- ``places_offered(session, cohort_id)``: places already offered on a cohort. Until the
  applications domain exists this is 0; it registers its counter with
  ``set_places_offered_counter(fn)`` (fn(session, cohort_id) -> int), and capacity edits
  are then refused below that number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select

from tenants.cohorts.models import Cohort, Course

NOT_OPEN_YET, OPEN, CLOSED = "not_open_yet", "open", "closed"

_places_offered_counter: Callable[[object, int], int] | None = None


def set_places_offered_counter(counter: Callable[[object, int], int] | None) -> None:
    global _places_offered_counter
    _places_offered_counter = counter


def places_offered(session, cohort_id: int) -> int:
    return 0 if _places_offered_counter is None else _places_offered_counter(session, cohort_id)


def eoi_window_state(cohort: Cohort, today: dt.date) -> str:
    if today < cohort.eoi_opens_on:
        return NOT_OPEN_YET
    return OPEN if today <= cohort.eoi_closes_on else CLOSED


def open_cohort(session, today: dt.date) -> Cohort | None:
    """The cohort taking applications today (the one closing soonest, if several are)."""
    return session.scalars(
        select(Cohort).where(Cohort.eoi_opens_on <= today, Cohort.eoi_closes_on >= today)
        .order_by(Cohort.eoi_closes_on, Cohort.id).limit(1)).first()


def next_cohort(session, today: dt.date) -> Cohort | None:
    return session.scalars(
        select(Cohort).where(Cohort.eoi_opens_on > today)
        .order_by(Cohort.eoi_opens_on, Cohort.id).limit(1)).first()


def courses(session) -> list[Course]:
    return list(session.scalars(select(Course).order_by(Course.name, Course.id)))


def cohorts(session) -> list[Cohort]:
    return list(session.scalars(select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.id)))
