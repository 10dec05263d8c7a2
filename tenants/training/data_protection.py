"""Offers, training attendance, placement hours, outcomes, follow-ups and deferrals of an
applicant, for subject access and erasure (only the outcome's free text, weekly hours and
wish for support, and a deferral's written reason, are personal enough to erase: attendance
and placement hours are kept for the cohort's figures)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.applications.models import ApplicationEvent
from tenants.applications.subjects import Subject, overwrite, register_domain
from tenants.cohorts.models import TrainingDay
from tenants.training.models import Attendance, Deferral, FollowUp, Outcome, PlacementHours

OFFER_STAGES = ("place_offered", "place_accepted", "in_training", "completed")


def report(session: Session, subject: Subject) -> dict:
    ids, ref = subject.application_ids, subject.references.get
    offers = session.scalars(select(ApplicationEvent).where(
        ApplicationEvent.application_id.in_(ids), ApplicationEvent.to_stage.in_(OFFER_STAGES))
        .order_by(ApplicationEvent.id))
    attendance = session.execute(select(Attendance, TrainingDay.on_date).join(
        TrainingDay, TrainingDay.id == Attendance.training_day_id).where(
        Attendance.application_id.in_(ids)).order_by(TrainingDay.on_date))
    hours = session.scalars(select(PlacementHours).where(
        PlacementHours.application_id.in_(ids)).order_by(PlacementHours.on_date))
    outcomes = session.scalars(select(Outcome).where(Outcome.application_id.in_(ids))
                               .order_by(Outcome.recorded_at, Outcome.id))
    follow_ups = session.scalars(select(FollowUp).where(
        FollowUp.application_id.in_(ids)).order_by(FollowUp.due_on))
    deferrals = session.scalars(select(Deferral).where(
        Deferral.application_id.in_(ids)).order_by(Deferral.id))
    return {
        "offers": [{"application": ref(e.application_id), "stage": e.to_stage, "at": e.at}
                   for e in offers],
        "attendance": [{"application": ref(a.application_id), "day": day, "status": a.status,
                        "recorded_by": a.recorded_by} for a, day in attendance],
        "placement_hours": [{"application": ref(h.application_id), "on": h.on_date,
                             "hours": float(h.hours)} for h in hours],
        "outcomes": [{"application": ref(o.application_id), "kind": o.kind,
                      "detail": o.detail, "wants_support": o.wants_support,
                      "hours_per_week": None if o.hours_per_week is None
                      else float(o.hours_per_week), "recorded_by": o.recorded_by,
                      "recorded_at": o.recorded_at} for o in outcomes],
        "follow_ups": [{"application": ref(f.application_id), "months": f.months,
                        "due_on": f.due_on, "outcome": f.kind, "recorded_at": f.recorded_at}
                       for f in follow_ups],
        "deferrals": [{"application": ref(d.application_id), "from_cohort": d.from_cohort_id,
                       "to_cohort": d.to_cohort_id, "reason": d.reason,
                       "deferred_at": d.deferred_at, "reinstated_at": d.reinstated_at}
                      for d in deferrals],
    }


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return {"outcomes": overwrite(session, Outcome.application_id, subject.application_ids,
                                  detail=None, hours_per_week=None, wants_support=None),
            "deferrals": overwrite(session, Deferral.application_id, subject.application_ids,
                                   reason=None)}


register_domain("training", report=report, scrub=scrub)
