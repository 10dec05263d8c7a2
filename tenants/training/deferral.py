"""Deferral: a place offered or accepted moves to the next cohort of the same course.

An applicant (from their account) or a coordinator (with a reason) defers a place. The
application moves to "Deferred" in its cohort (its reminders there are taken back and the
freed place goes to the waiting list: applications.reactions, training.reactions), and a
Deferral row links the cohort it left. It is reinstated, with its whole history, in the
next later cohort of the same course that has a place free: at once if there is one,
otherwise when such a cohort is set up (cohorts.events.cohort_dates_set). Reinstating locks
the cohort row, as every offer does, so deferred places never overbook a cohort.

When a cohort with reinstated places has its dates set (created, start date moved, a
training day added or removed), both sides hear of it: each person of "your place on the
cohort starting ...", the team of "N deferred places are waiting in this cohort". Those
messages wait a few minutes and a later change replaces them, so a coordinator adding ten
training days sends one of each, not ten.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from peerpath.datewords import nhs_date
from peerpath.links import external_url
from peerpath.refusal import Refused
from tenants.applications import messages
from tenants.applications.links import sign_in_link
from tenants.applications.models import Applicant, Application
from tenants.applications.service import (
    applicant_actor,
    application_for,
    places_offered,
    transition,
)
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.cohorts.models import Cohort
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permits
from tenants.notifications.service import queue_message, withdraw_unsent
from tenants.training.models import Deferral
from tenants.training.service import lock_cohort

DEFERRABLE = ("place_offered", "place_accepted")
SYSTEM = "system"
REINSTATED = "deferred_place_reinstated"
WAITING = "deferred_places_waiting"
SETTLE = dt.timedelta(minutes=10)


def record_deferral(session, application: Application, *, from_stage: str, actor: str,
                    reason: str | None, by_applicant: bool) -> Deferral:
    """The link from the cohort left (training.reactions writes it on every path that moves
    a place to "Deferred")."""
    deferral = Deferral(application_id=application.id, from_cohort_id=application.cohort_id,
                        stage_held=from_stage, reason=(reason or "")[:500] or None,
                        by_applicant=by_applicant, deferred_by=actor)
    session.add(deferral)
    session.flush()
    record("place.deferred", "application", application.id, actor=actor,
           detail={"from_cohort": application.cohort_id, "stage_held": from_stage},
           session=session)
    return deferral


def defer(session, application: Application, *, actor: str, reason: str | None = None,
          by_applicant: bool = False) -> Deferral:
    """Defer a place offered or accepted; reinstated at once if a later cohort of the course
    has a place free. A coordinator gives a reason; an applicant may."""
    if application.stage not in DEFERRABLE:
        raise Refused("Only a place that has been offered or accepted can be deferred")
    if not by_applicant and not (reason or "").strip():
        raise Refused("Give the reason this place is deferred", field="reason")
    if by_applicant:
        actor = applicant_actor(application.applicant_id)
    transition(session, application, "deferred", actor=actor,
               reason=(reason or "").strip() or "Deferred to the next cohort",
               by_applicant=by_applicant)
    deferral = waiting_for(session, application.id)
    cohort = reinstate_somewhere(session, deferral, actor=actor)
    if cohort is not None:
        remind_both_sides(session, cohort)
    return deferral


def waiting_for(session, application_id: int) -> Deferral | None:
    return session.scalars(select(Deferral).where(
        Deferral.application_id == application_id, Deferral.reinstated_at.is_(None))
        .order_by(Deferral.id.desc()).limit(1)).first()


def latest(session, application_id: int) -> Deferral | None:
    return session.scalars(select(Deferral).where(Deferral.application_id == application_id)
                           .order_by(Deferral.id.desc()).limit(1)).first()


def later_cohorts(session, cohort: Cohort) -> list[Cohort]:
    return list(session.scalars(select(Cohort).where(
        Cohort.course_id == cohort.course_id, Cohort.starts_on > cohort.starts_on)
        .order_by(Cohort.starts_on, Cohort.id)))


def reinstate_somewhere(session, deferral: Deferral, *, actor: str) -> Cohort | None:
    """Into the first later cohort of the course that has room; None if none has yet."""
    left = session.get(Cohort, deferral.from_cohort_id)
    for cohort in later_cohorts(session, left):
        if reinstate(session, deferral, cohort, actor=actor):
            return cohort
    return None


def reinstate(session, deferral: Deferral, cohort: Cohort, *, actor: str) -> bool:
    """Move the deferred application into `cohort` at the stage its place was held at;
    False when the cohort is full or the person already has an application there."""
    locked = lock_cohort(session, cohort.id)
    application = session.get(Application, deferral.application_id)
    session.refresh(application)
    if application.stage != "deferred" or deferral.reinstated_at is not None:
        return False
    if places_offered(session, locked.id) >= locked.capacity:
        return False
    if application_for(session, application.applicant_id, locked.id) is not None:
        return False
    left = session.get(Cohort, deferral.from_cohort_id)
    application.cohort_id = locked.id
    application.reply_by = None
    session.flush()
    transition(session, application, deferral.stage_held, actor=SYSTEM, reinstating=True,
               reason=f"Deferred place reinstated in {locked.name} (deferred from "
                      f"{left.name})")
    deferral.to_cohort_id, deferral.reinstated_at = locked.id, func.now()
    record("place.reinstated", "application", application.id, actor=actor,
           detail={"from_cohort": left.id, "to_cohort": locked.id}, session=session)
    return True


def on_dates_set(session, cohort: Cohort, *, actor: str) -> int:
    """A cohort was created or its start moved: deferrals waiting for a later cohort of its
    course are reinstated in it, longest waiting first, while it has room. Returns how many."""
    waiting = session.scalars(
        select(Deferral).join(Cohort, Cohort.id == Deferral.from_cohort_id)
        .where(Deferral.reinstated_at.is_(None), Cohort.course_id == cohort.course_id,
               Cohort.starts_on < cohort.starts_on)
        .order_by(Deferral.deferred_at, Deferral.id)).all()
    moved = sum(reinstate(session, deferral, cohort, actor=actor) for deferral in waiting)
    remind_both_sides(session, cohort)
    return moved


def reinstated_in(session, cohort_id: int) -> list[tuple[Deferral, Application]]:
    """Deferred places reinstated in this cohort and still held there."""
    return list(session.execute(
        select(Deferral, Application).join(Application,
                                           Application.id == Deferral.application_id)
        .where(Deferral.to_cohort_id == cohort_id, Application.cohort_id == cohort_id,
               Application.stage.in_(DEFERRABLE))
        .order_by(Deferral.reinstated_at, Deferral.id)).all())


def pending(session) -> list[tuple[Deferral, Application]]:
    """Deferred places still waiting for a later cohort (the places page lists them)."""
    return list(session.execute(
        select(Deferral, Application).join(Application,
                                           Application.id == Deferral.application_id)
        .where(Deferral.reinstated_at.is_(None), Application.stage == "deferred")
        .order_by(Deferral.deferred_at, Deferral.id)).all())


def remind_both_sides(session, cohort: Cohort) -> int:
    """The settled messages about a cohort's reinstated places (see the module)."""
    held = reinstated_in(session, cohort.id)
    withdraw_unsent(session, WAITING, ("cohort", cohort.id))
    if not held:
        return 0
    due = dt.datetime.now(dt.UTC) + SETTLE
    starts = nhs_date(gates.first_training_day(cohort))
    link = sign_in_link()
    for deferral, application in held:
        withdraw_unsent(session, REINSTATED, ("deferral", deferral.id))
        applicant = session.get(Applicant, application.applicant_id)
        messages.queue(session, REINSTATED, applicant, actor=SYSTEM, application=application,
                       related=("deferral", deferral.id), not_before=due,
                       cohort_name=cohort.name, starts_on=starts, sign_in_link=link)
    places = external_url("training.places", cohort_id=cohort.id)
    for coordinator in session.scalars(select(Coordinator).where(Coordinator.active)
                                       .order_by(Coordinator.id)):
        if permits(coordinator, "training:write"):
            queue_message(session, WAITING, {"email": coordinator.email,
                                             "name": coordinator.display_name,
                                             "preferred_channel": "email"},
                          {"count": str(len(held)), "cohort_name": cohort.name,
                           "starts_on": starts, "places_link": places},
                          related=("cohort", cohort.id), not_before=due)
    return len(held)
