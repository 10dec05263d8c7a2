"""The conditions of an applicant's place and a lead's override of them, for subject access
and erasure (the override's written reason is erased; the conditions' statuses are kept for
the cohort's records)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.applications.subjects import Subject, overwrite, register_domain
from tenants.conditions.models import ConditionOverride, PlaceCondition

ERASED = "Erased at the person's request"


def report(session: Session, subject: Subject) -> dict:
    ids, ref = subject.application_ids, subject.references.get
    rows = session.scalars(select(PlaceCondition).where(
        PlaceCondition.application_id.in_(ids)).order_by(PlaceCondition.id))
    overrides = session.scalars(select(ConditionOverride).where(
        ConditionOverride.application_id.in_(ids)).order_by(ConditionOverride.id))
    return {
        "conditions": [{"application": ref(r.application_id), "condition": r.condition.label,
                        "status": r.status, "recorded_at": r.recorded_at,
                        "recorded_by": r.recorded_by} for r in rows],
        "condition_overrides": [{"application": ref(o.application_id), "reason": o.reason,
                                 "by": o.overridden_by, "at": o.overridden_at}
                                for o in overrides],
    }


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return {"condition_overrides": overwrite(session, ConditionOverride.application_id,
                                             subject.application_ids, reason=ERASED)}


register_domain("conditions", report=report, scrub=scrub)
