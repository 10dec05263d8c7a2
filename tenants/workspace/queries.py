"""Reads for the workspace screens. Each returns everything its screen needs in a fixed
number of statements, however many applications a cohort has (tests count them)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select

from tenants.applications import pipeline
from tenants.applications.models import Applicant, Application, ApplicationEvent
from tenants.eligibility.rules import ELIGIBLE
from tenants.trustpage.models import TrustPage

SORTS = {
    "submitted": Application.submitted_at,
    "name": func.lower(Applicant.name),
    "reference": Application.reference,
    "stage": Application.stage,
}
PER_PAGE = 25
DECISIONS = ("shortlisted", "not_shortlisted", "not_eligible", "waiting_list")


@dataclass(frozen=True)
class Filters:
    stage: str | None = None
    eligibility: str | None = None
    search: str | None = None
    sort: str = "submitted"
    descending: bool = True
    page: int = 1


def disability_confident_flag():
    """Opted in to the Disability Confident scheme and meets the eligibility rules, at a
    trust whose page does not say it has left the scheme (as is_disability_confident)."""
    return and_(Application.disability_confident.is_(True),
                Application.eligibility_outcome == ELIGIBLE,
                ~exists().where(TrustPage.disability_confident.is_(False)))


def list_rows(session, cohort_id: int, filters: Filters) -> tuple[list, int]:
    """One page of a cohort's applications and the number matching, in one statement."""
    query = (select(Application.id, Application.reference, Application.stage,
                    Application.eligibility_outcome, Application.channel,
                    Application.submitted_at, Applicant.name, Applicant.email,
                    Applicant.phone, Applicant.postal_address, Applicant.communication_needs,
                    disability_confident_flag().label("dc"),
                    func.count().over().label("total"))
             .join(Applicant, Applicant.id == Application.applicant_id)
             .where(Application.cohort_id == cohort_id))
    if filters.stage:
        query = query.where(Application.stage == filters.stage)
    if filters.eligibility:
        query = query.where(Application.eligibility_outcome == filters.eligibility)
    if filters.search:
        term = "%" + filters.search.strip().replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        query = query.where(or_(Applicant.name.ilike(term), Applicant.email.ilike(term),
                                Application.reference.ilike(term)))
    column = SORTS[filters.sort]
    order = column.desc().nulls_last() if filters.descending else column.asc().nulls_last()
    rows = session.execute(query.order_by(order, Application.id)
                           .offset((filters.page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return rows, (rows[0].total if rows else 0)


def stage_counts(session, cohort_id: int) -> dict[str, dict[str, int]]:
    """Per stage: applications at it now, and of those, flagged Disability Confident."""
    rows = session.execute(
        select(Application.stage, func.count(),
               func.count().filter(disability_confident_flag()))
        .where(Application.cohort_id == cohort_id).group_by(Application.stage)).all()
    found = {stage: {"now": now, "dc": dc} for stage, now, dc in rows}
    return {stage: found.get(stage, {"now": 0, "dc": 0}) for stage in pipeline.ALL_STAGES}


def reached_counts(session, cohort_id: int) -> dict[str, int]:
    """Per main-line stage: applications that ever reached it (the funnel)."""
    rows = session.execute(
        select(ApplicationEvent.to_stage, func.count(ApplicationEvent.application_id.distinct()))
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(Application.cohort_id == cohort_id).group_by(ApplicationEvent.to_stage)).all()
    found = dict(rows)
    return {stage: found.get(stage, 0) for stage in pipeline.STAGES}


def days_to_decision(session, cohort_id: int) -> dict:
    """Median and longest days from sending the EOI to the first shortlisting decision.
    The cohort's applications are joined to their events before grouping, so the plan stays
    an index lookup per application even before the planner has statistics (grouping every
    event of the trust first took 50-75 ms at 1,000 applications)."""
    first_decision = (
        select(Application.submitted_at, func.min(ApplicationEvent.at).label("at"))
        .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
        .where(Application.cohort_id == cohort_id, Application.submitted_at.is_not(None),
               ApplicationEvent.to_stage.in_(DECISIONS))
        .group_by(Application.id).subquery())
    days = func.extract("epoch", first_decision.c.at - first_decision.c.submitted_at) / 86400
    median, longest, decided = session.execute(
        select(func.percentile_cont(0.5).within_group(days), func.max(days), func.count())
        .select_from(first_decision)).one()
    return {"median": None if median is None else round(float(median), 1),
            "longest": None if longest is None else round(float(longest), 1),
            "decided": decided}


def export_rows(session, cohort_id: int):
    """Every application of the cohort for the CSV export (one statement)."""
    return session.execute(
        select(Application.reference, Applicant.name, Applicant.email, Application.stage,
               Application.eligibility_outcome, disability_confident_flag().label("dc"),
               Application.channel, Application.submitted_at, Application.updated_at)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id)
        .order_by(Application.submitted_at.nulls_last(), Application.id)).all()
