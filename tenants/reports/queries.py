"""The reports' reads: each is one statement however many applications the trust has,
grouped in the database (tests count the statements with 1,000 applications)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select

from tenants.applications import decisions
from tenants.applications.models import Application, ApplicationEvent, EqualityMonitoring
from tenants.cohorts.models import Cohort
from tenants.infosessions.models import Booking, InfoSession
from tenants.posts.models import Candidacy
from tenants.training.models import FollowUp

# The first move that decides an EOI: on to shortlisting, or not.
DECISIONS = ("shortlisted", "not_shortlisted", "not_eligible", "waiting_list")


def cohorts(session):
    return session.execute(select(Cohort.id, Cohort.name, Cohort.starts_on)
                           .order_by(Cohort.starts_on, Cohort.id)).all()


def reached(session):
    """(cohort id, channel, where heard, stage, applications that ever reached the
    stage)."""
    return session.execute(
        select(Application.cohort_id, Application.channel, Application.heard_via,
               ApplicationEvent.to_stage, func.count(ApplicationEvent.application_id.distinct()))
        .join(Application, Application.id == ApplicationEvent.application_id)
        .group_by(Application.cohort_id, Application.channel, Application.heard_via,
                  ApplicationEvent.to_stage)).all()


def placed(session):
    """(cohort id, channel, where heard, people placed in a post)."""
    return session.execute(
        select(Application.cohort_id, Application.channel, Application.heard_via,
               func.count(Candidacy.application_id.distinct()))
        .join(Application, Application.id == Candidacy.application_id)
        .where(Candidacy.status == "placed")
        .group_by(Application.cohort_id, Application.channel, Application.heard_via)).all()


def drop_in_attendees(session):
    """(cohort id, people who came to a drop-in held while the cohort's EOIs were open),
    one person counted once by e-mail, or by phone when there is no e-mail."""
    person = func.coalesce(func.lower(Booking.email), Booking.phone)
    return session.execute(
        select(Cohort.id, func.count(person.distinct()))
        .join(InfoSession, and_(InfoSession.on_date >= Cohort.eoi_opens_on,
                                InfoSession.on_date <= Cohort.eoi_closes_on))
        .join(Booking, Booking.info_session_id == InfoSession.id)
        .where(Booking.attended.is_(True), Booking.cancelled_at.is_(None))
        .group_by(Cohort.id)).all()


def days_to_decision(session):
    """(cohort id, decided, median days, longest days) from sending the EOI to the first
    decision (applications joined to their events before grouping, as the workspace's)."""
    first = (select(Application.cohort_id, Application.submitted_at,
                    func.min(ApplicationEvent.at).label("at"))
             .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
             .where(Application.submitted_at.is_not(None),
                    ApplicationEvent.to_stage.in_(DECISIONS))
             .group_by(Application.id).subquery())
    days = func.extract("epoch", first.c.at - first.c.submitted_at) / 86400
    return session.execute(
        select(first.c.cohort_id, func.count(),
               func.percentile_cont(0.5).within_group(days), func.max(days))
        .group_by(first.c.cohort_id)).all()


def follow_up_outcomes(session, today: dt.date):
    """(months, outcome kind or None when unanswered, count) of the follow-ups due by
    `today`."""
    return session.execute(
        select(FollowUp.months, FollowUp.kind, func.count())
        .where(FollowUp.due_on <= today)
        .group_by(FollowUp.months, FollowUp.kind)).all()


def reasons(session):
    """Decisions by stage, reason and cohort (tenants.applications.decisions)."""
    return decisions.counts_by_stage_and_reason(session, by_cohort=True)


def equality_answers(session):
    """The equality monitoring answers (None where there are none) and stage of everyone
    who sent an EOI (decrypted by the column type; only ever aggregated, never shown with
    the application)."""
    return session.execute(
        select(EqualityMonitoring.answers, Application.stage)
        .select_from(Application)
        .outerjoin(EqualityMonitoring, EqualityMonitoring.application_id == Application.id)
        .where(Application.submitted_at.is_not(None))).all()
