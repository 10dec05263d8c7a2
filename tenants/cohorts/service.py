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
from itertools import pairwise

from sqlalchemy import select

from peerpath.refusal import Refused
from tenants.audit.service import current_actor, record
from tenants.cohorts.events import cohort_dates_set, training_days_changed
from tenants.cohorts.models import Cohort, Course, TrainingDay
from tenants.cohorts.records import store

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


def open_among(runs: list[Cohort], today: dt.date) -> Cohort | None:
    """open_cohort, chosen from cohorts already loaded (no query)."""
    taking = [c for c in runs if c.eoi_opens_on <= today <= c.eoi_closes_on]
    return min(taking, key=lambda c: (c.eoi_closes_on, c.id), default=None)


def next_among(runs: list[Cohort], today: dt.date) -> Cohort | None:
    """next_cohort, chosen from cohorts already loaded (no query)."""
    coming = [c for c in runs if c.eoi_opens_on > today]
    return min(coming, key=lambda c: (c.eoi_opens_on, c.id), default=None)


def next_cohort(session, today: dt.date) -> Cohort | None:
    return session.scalars(
        select(Cohort).where(Cohort.eoi_opens_on > today)
        .order_by(Cohort.eoi_opens_on, Cohort.id).limit(1)).first()


def courses(session) -> list[Course]:
    return list(session.scalars(select(Course).order_by(Course.name, Course.id)))


def cohorts(session) -> list[Cohort]:
    return list(session.scalars(select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.id)))


class CalendarProblems(Refused):
    """Calendar edits refused; ``problems`` maps a field name to a message."""


def last_course_day(cohort_starts_on: dt.date, course: Course) -> dt.date:
    return cohort_starts_on + dt.timedelta(weeks=course.length_weeks) - dt.timedelta(days=1)


def calendar_problems(data: dict, course: Course | None, days: list, offered: int) -> dict:
    """Field -> message for a cohort's calendar (dates in order, training days inside the
    course, enough capacity for places already offered)."""
    problems: dict[str, str] = {}
    if course is None:
        return {"course_id": "Choose the course"}
    if data["eoi_opens_on"] > data["eoi_closes_on"]:
        problems["eoi_closes_on"] = "The closing date must be on or after the opening date"
    order = [("eoi_closes_on", "the closing date for applications"),
             ("shortlisting_week_of", "the shortlisting week"),
             ("interview_week_of", "the interview week"), ("starts_on", "the start date")]
    given = [(name, words) for name, words in order if data.get(name) is not None]
    for (before, before_words), (name, words) in pairwise(given):
        if data[name] < data[before]:
            problems.setdefault(name, f"{words[0].upper()}{words[1:]} must be on or after "
                                      f"{before_words}")
    if data["starts_on"] <= data["eoi_closes_on"]:
        problems.setdefault("starts_on", "The start date must be after the closing date for "
                                         "applications")
    if data["capacity"] < offered:
        problems["capacity"] = (f"{offered} places have already been offered, so places "
                                f"cannot be fewer than {offered}")
    day_problem = days_problems(data["starts_on"], course, days).get("days")
    if day_problem:
        problems.setdefault("starts_on", day_problem)
    return problems


def days_problems(starts_on: dt.date, course: Course, days: list) -> dict:
    last = last_course_day(starts_on, course)
    outside = [d.on_date for d in days if not starts_on <= d.on_date <= last]
    problems = {}
    if outside:
        problems["days"] = (f"Training days must fall between {starts_on:%-d %B %Y} and "
                            f"{last:%-d %B %Y} (the course's {course.length_weeks} weeks); "
                            f"{outside[0]:%-d %B %Y} does not")
    elif len(days) > course.training_days:
        problems["days"] = (f"The course has {course.training_days} training days, so a cohort "
                            f"cannot have {len(days)}")
    return problems


def save_course(session, data: dict, course: Course | None = None) -> Course:
    """Create a course or change one; a change must leave existing cohorts' days valid."""
    course = course or Course()
    before = {c.name: getattr(course, c.name) for c in Course.__table__.columns}
    for name, value in data.items():
        setattr(course, name, value)
    if course.id is not None:
        for cohort in session.scalars(select(Cohort).where(Cohort.course_id == course.id)):
            problem = days_problems(cohort.starts_on, course, cohort.days).get("days")
            if problem:
                for name, value in before.items():
                    setattr(course, name, value)
                raise CalendarProblems({"length_weeks": f"{cohort.name}: {problem}"})
    return store(session, course, {}, "course.saved", "course")


def save_cohort(session, data: dict, cohort: Cohort | None = None) -> Cohort:
    """Create a cohort or change one, refusing a calendar that does not hold together.

    The cohort row is locked while it is checked, so capacity is compared with the places
    offered at that moment.
    """
    if cohort is not None:
        session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    course = session.get(Course, data["course_id"])
    offered = places_offered(session, cohort.id) if cohort is not None else 0
    problems = calendar_problems(data, course, cohort.days if cohort else [], offered)
    if problems:
        raise CalendarProblems(problems)
    dates_set = cohort is None or cohort.starts_on != data["starts_on"]
    saved = store(session, cohort or Cohort(), data, "cohort.saved", "cohort")
    if dates_set:
        cohort_dates_set.send(saved, session=session, actor=current_actor())
    return saved


def add_training_day(session, cohort: Cohort, data: dict) -> TrainingDay:
    if any(d.on_date == data["on_date"] for d in cohort.days):
        raise CalendarProblems({"on_date": "This cohort already has a training day on that date"})
    day = TrainingDay(**data)
    problems = days_problems(cohort.starts_on, cohort.course, [*cohort.days, day])
    if problems:
        raise CalendarProblems({"on_date": problems["days"]})
    cohort.days.append(day)
    session.flush()
    record("cohort.training_day_added", "cohort", cohort.id, session=session)
    _remind_again(session, cohort)
    return day


def remove_training_day(session, cohort: Cohort, day_id: int) -> bool:
    day = next((d for d in cohort.days if d.id == day_id), None)
    if day is None:
        return False
    cohort.days.remove(day)
    session.flush()
    record("cohort.training_day_removed", "cohort", cohort.id, session=session)
    _remind_again(session, cohort)
    return True


def _remind_again(session, cohort: Cohort) -> None:
    """Tell subscribers (trainees' reminders) that the calendar changed."""
    training_days_changed.send(cohort, session=session, actor=current_actor())


def add_default_course(session, tenant) -> None:
    """Onboarding step: a typical course a new trust edits to match its own."""
    save_course(session, {
        "name": "Peer Support Worker training", "length_weeks": 12, "training_days": 16,
        "format": "mixed", "locations": [],
        "leads_to": "Applying for paid Peer Support Worker posts",
        "description": "Classroom learning and work-based placements.",
    })
