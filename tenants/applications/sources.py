"""What the applicant journey reads from other domains, behind small functions of its own.

Cohort windows come from tenants.cohorts; a trust's configured questions and its current
rule-set version come from trust configuration (issue 4) once merged. Until then the
questions and rules are each trust's starting defaults (tenants.eligibility.defaults) with
no version id, and there are no drop-in sessions to list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tenants.cohorts.models import Cohort, Course
from tenants.eligibility import defaults


@dataclass(frozen=True)
class Configuration:
    questions: list[dict]
    rule_set: dict
    rule_set_version_id: int | None


def today() -> dt.date:
    return dt.date.today()


def window_is_open(cohort: Cohort, on: dt.date) -> bool:
    return cohort.eoi_opens_on <= on <= cohort.eoi_closes_on


def open_cohorts(session, on: dt.date) -> list[Cohort]:
    return list(session.scalars(
        select(Cohort).where(Cohort.eoi_opens_on <= on, Cohort.eoi_closes_on >= on)
        .order_by(Cohort.eoi_closes_on, Cohort.id)))


def next_window(session, on: dt.date) -> Cohort | None:
    """The cohort whose EOI window opens soonest after `on`, to tell people when to come back."""
    return session.scalars(select(Cohort).where(Cohort.eoi_opens_on > on)
                           .order_by(Cohort.eoi_opens_on, Cohort.id).limit(1)).first()


def get_cohort(session, cohort_id) -> Cohort | None:
    try:
        return session.get(Cohort, int(cohort_id))
    except (TypeError, ValueError, OverflowError):
        return None


def course_of(session, cohort: Cohort) -> Course | None:
    return session.get(Course, cohort.course_id)


_DEMO_DEFAULTS = {
    "leicestershire": defaults.leicestershire_questions_and_rules,
    "norfolk-suffolk": defaults.norfolk_suffolk_questions_and_rules,
}


def configuration(session, tenant, cohort: Cohort | None = None) -> Configuration:
    """The EOI questions and the rule set in force for `cohort` at `tenant`."""
    make = _DEMO_DEFAULTS.get(tenant.slug, defaults.default_questions_and_rules)
    questions, rule_set = make()
    return Configuration(questions, rule_set, None)


def upcoming_drop_ins(session, on: dt.date) -> list[dict]:
    """Drop-in information sessions from today: dicts with starts_at, place, url."""
    return []
