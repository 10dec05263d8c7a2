"""What the applicant journey reads from trust configuration, behind small functions.

Cohort windows come from tenants.cohorts.service, the EOI questions and rules from the
trust's published eligibility version (tenants.eligibility.service), drop-in sessions from
tenants.infosessions.service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tenants.applications import steps
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.eligibility import service as eligibility
from tenants.infosessions import service as infosessions


class NotConfigured(LookupError):
    """The trust has no published questions and rules, so it cannot take applications."""


@dataclass(frozen=True)
class Configuration:
    questions: list[dict]
    rule_set: dict
    rule_set_version_id: int


def today() -> dt.date:
    return dt.date.today()


def window_is_open(cohort: Cohort, on: dt.date) -> bool:
    return cohorts.eoi_window_state(cohort, on) == cohorts.OPEN


def open_cohorts(session, on: dt.date) -> list[Cohort]:
    """Every cohort taking applications on `on`, closing soonest first."""
    return list(session.scalars(
        select(Cohort).where(Cohort.eoi_opens_on <= on, Cohort.eoi_closes_on >= on)
        .order_by(Cohort.eoi_closes_on, Cohort.id)))


def next_window(session, on: dt.date) -> Cohort | None:
    return cohorts.next_cohort(session, on)


def get_cohort(session, cohort_id) -> Cohort | None:
    try:
        return session.get(Cohort, int(cohort_id))
    except (TypeError, ValueError, OverflowError):
        return None


def configuration(session, tenant=None, cohort: Cohort | None = None) -> Configuration:
    """The published questions and rules (one version applies to every cohort)."""
    version = eligibility.published_version(session)
    if version is None:
        raise NotConfigured()
    return Configuration(version.questions, version.rule_set, version.id)


def evaluate(session, answers: dict, on: dt.date):
    """(version id, Evaluation) with the published rules."""
    try:
        return eligibility.evaluate_for_cohort(session, answers, today=on)
    except eligibility.NoPublishedRules as exc:
        raise NotConfigured() from exc


def upcoming_drop_ins(session, on: dt.date) -> list[dict]:
    return [{"starts_at": dt.datetime.combine(s.on_date, s.starts_at),
             "place": s.place or "Online", "id": s.id}
            for s in infosessions.upcoming(session, on)]


def came_to_a_drop_in(session, applicant) -> bool:
    return infosessions.came_to_a_drop_in(session, email=applicant.email, phone=applicant.phone)


def answers_as_asked(session, application) -> list[dict]:
    """label and words of each answer, against the form version the EOI was answered on.

    A sent EOI keeps the version it was judged with (``rule_set_version_id``), so its answers
    read the same after the trust changes its questions; a draft reads against the live form.
    """
    version = (eligibility.get_version(session, application.rule_set_version_id)
               if application.rule_set_version_id else eligibility.published_version(session))
    answers = application.answers or {}
    if version is None:
        return [{"key": key, "label": key, "value": str(value)} for key, value in answers.items()]
    return [{"key": q["key"], "label": q["label"],
             "value": steps.answer_text(q, answers.get(q["key"]))}
            for q in version.questions if q["key"] in answers]
