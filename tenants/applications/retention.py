"""The retention job's anonymisers for applications, one per retention category.

Each picks the applications past the trust's period that are not anonymised yet (answers
still held), and anonymises them in every domain the same way erasure does (subjects.py).
The person (name, contact details, drop-in bookings) is anonymised with their last
application: someone with a newer application still in progress keeps their details.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, cast, func, select
from sqlalchemy.orm import Session

from tenants.applications.models import Application, ApplicationEvent
from tenants.applications.subjects import anonymise, subject_for
from tenants.cohorts.models import Cohort, Course, TrainingDay
from tenants.retention.registry import register_anonymiser

UNSUCCESSFUL = ("not_eligible", "not_shortlisted", "not_successful")
TRAINED = ("place_accepted", "in_training", "completed", "outcome_recorded")


def anonymise_applications(session: Session, application_ids: list[int]) -> dict[str, int]:
    if not application_ids:
        return {"applications": 0}
    applicant_ids = set(session.scalars(select(Application.applicant_id).where(
        Application.id.in_(application_ids))))
    still_held = set(session.scalars(select(Application.applicant_id).where(
        Application.applicant_id.in_(applicant_ids), Application.id.not_in(application_ids),
        Application.answers.is_not(None))))
    return anonymise(session, subject_for(session, applicant_ids - still_held,
                                          application_ids))


def _not_anonymised():
    return select(Application.id).join(Cohort, Cohort.id == Application.cohort_id).where(
        Application.answers.is_not(None))


def unsuccessful(session: Session, policy, today: dt.date) -> dict[str, int]:
    """Months after the cohort they applied for starts."""
    cutoff = policy.cutoff("unsuccessful_applications", today)
    if cutoff is None:
        return {}
    return anonymise_applications(session, list(session.scalars(_not_anonymised().where(
        Application.stage.in_(UNSUCCESSFUL), Cohort.starts_on < cutoff))))


def withdrawn(session: Session, policy, today: dt.date) -> dict[str, int]:
    """Months after the applicant withdrew."""
    cutoff = policy.cutoff("withdrawn_applications", today)
    if cutoff is None:
        return {}
    withdrew_on = select(func.max(ApplicationEvent.at)).where(
        ApplicationEvent.application_id == Application.id,
        ApplicationEvent.to_stage == "withdrawn").scalar_subquery()
    return anonymise_applications(session, list(session.scalars(_not_anonymised().where(
        Application.stage == "withdrawn", cast(withdrew_on, Date) < cutoff))))


def attendance_and_outcomes(session: Session, policy, today: dt.date) -> dict[str, int]:
    """Months after the cohort ends (its last training day, else its start plus the
    course's length); None keeps them."""
    cutoff = policy.cutoff("attendance_and_outcomes", today)
    if cutoff is None:
        return {}
    last_day = select(func.max(TrainingDay.on_date)).where(
        TrainingDay.cohort_id == Cohort.id).scalar_subquery()
    ends_on = func.coalesce(last_day, Cohort.starts_on + Course.length_weeks * 7)
    return anonymise_applications(session, list(session.scalars(_not_anonymised().join(
        Course, Course.id == Cohort.course_id).where(
        Application.stage.in_(TRAINED), ends_on < cutoff))))


register_anonymiser("unsuccessful_applications", unsuccessful)
register_anonymiser("withdrawn_applications", withdrawn)
register_anonymiser("attendance_and_outcomes", attendance_and_outcomes)
