"""What the applicant journey reads from trust configuration, behind small functions.

Cohort windows come from tenants.cohorts.service, the EOI questions and rules from the
trust's eligibility versions (tenants.eligibility.service: a new EOI is pinned to the live
one), drop-in sessions from tenants.infosessions.service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

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
    return _configuration(version)


def _configuration(version) -> Configuration:
    return Configuration(version.questions, version.rule_set, version.id)


def live_version_id(session) -> int | None:
    """The id of the live form version, which a new EOI is pinned to (None if none)."""
    version = eligibility.published_version(session)
    return version.id if version else None


def configuration_of(session, application) -> Configuration:
    """The form version an EOI is answered on: the one it was pinned to when it started.

    An EOI keeps walking that version after a newer one goes live, so it is never a mix of
    two forms (pages asked on one, judged by the rules of another). Only an EOI started
    before versions were pinned has none; it follows the live version.
    """
    version = (eligibility.get_version(session, application.rule_set_version_id)
               if application.rule_set_version_id else None)
    return _configuration(version) if version is not None else configuration(session)


def evaluate(config: Configuration, answers: dict, on: dt.date):
    """The Evaluation of ``answers`` by the rules of the version in ``config``."""
    return eligibility.evaluate_with(config.questions, config.rule_set, answers, today=on)


def upcoming_drop_ins(session, on: dt.date) -> list[dict]:
    return [{"starts_at": dt.datetime.combine(s.on_date, s.starts_at),
             "place": s.place or "Online", "id": s.id}
            for s in infosessions.upcoming(session, on)]


def came_to_a_drop_in(session, applicant) -> bool:
    return infosessions.came_to_a_drop_in(session, email=applicant.email, phone=applicant.phone)

