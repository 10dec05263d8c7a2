"""Conditions before training: the trust's list (add, reword as a new version, retire), the
conditions on each place, who recorded them, and a lead's override. Callers commit.

A place gets every current condition when it is offered and again when it is accepted
(reactions.attach_conditions; a condition already on the place is not added twice), so a
condition added to the list meanwhile is not missed. Training cannot start for someone with
a condition pending or not met unless a lead has overridden it with a reason.
"""

from __future__ import annotations

from sqlalchemy import func, select

from peerpath.refusal import Refused
from tenants.applications.models import Applicant, Application
from tenants.audit.service import record
from tenants.conditions.defaults import DEFAULT_CONDITIONS
from tenants.conditions.models import (
    STATUSES,
    Condition,
    ConditionOverride,
    PlaceCondition,
)

SYSTEM = "system"
UNMET = ("pending", "not_met")


class ConditionsUnmet(Refused):
    """Training cannot start: conditions are pending or not met and no lead overrode them."""


# --- The trust's list --------------------------------------------------------------------

def current(session) -> list[Condition]:
    return list(session.scalars(select(Condition).where(Condition.retired_at.is_(None))
                                .order_by(Condition.position, Condition.id)))


def retired(session) -> list[Condition]:
    return list(session.scalars(select(Condition).where(Condition.retired_at.is_not(None))
                                .order_by(Condition.retired_at, Condition.id)))


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "_".join(words)[:55] or "condition"


def add(session, *, label: str, waiting_for: str, actor: str) -> Condition:
    key = _slug(label)
    taken = session.scalar(select(func.count()).select_from(Condition)
                           .where(Condition.key.startswith(key)))
    position = session.scalar(select(func.coalesce(func.max(Condition.position), 0))) + 1
    condition = Condition(key=f"{key}_{taken + 1}" if taken else key, label=label.strip(),
                          waiting_for=waiting_for.strip(), position=position,
                          created_by=actor)
    session.add(condition)
    session.flush()
    record("condition.add", "condition", condition.id, actor=actor, session=session)
    return condition


def reword(session, condition: Condition, *, label: str, waiting_for: str,
           actor: str) -> Condition:
    """The next version; the old one is retired, so places that have it keep its words."""
    if condition.retired_at is not None:
        raise Refused("This condition has been retired, so it cannot be changed.")
    condition.retired_at = func.now()
    newer = Condition(key=condition.key, version=condition.version + 1, label=label.strip(),
                      waiting_for=waiting_for.strip(), position=condition.position,
                      created_by=actor)
    session.add(newer)
    session.flush()
    record("condition.reword", "condition", newer.id, actor=actor,
           detail={"replaces": condition.id}, session=session)
    return newer


def retire(session, condition: Condition, *, actor: str) -> None:
    """New places no longer get it; places that have it keep it."""
    if condition.retired_at is None:
        condition.retired_at = func.now()
        record("condition.retire", "condition", condition.id, actor=actor, session=session)


def add_default_conditions(session, tenant=None) -> None:
    """Onboarding step: a new trust starts with the default conditions (idempotent)."""
    if session.scalar(select(func.count()).select_from(Condition)):
        return
    for position, (key, label, waiting_for) in enumerate(DEFAULT_CONDITIONS, start=1):
        session.add(Condition(key=key, label=label, waiting_for=waiting_for,
                              position=position, created_by=SYSTEM))
    session.flush()


# --- Conditions on a place -----------------------------------------------------------------

def of_place(session, application_id: int) -> list[PlaceCondition]:
    return list(session.scalars(
        select(PlaceCondition).join(Condition, Condition.id == PlaceCondition.condition_id)
        .where(PlaceCondition.application_id == application_id)
        .order_by(Condition.position, PlaceCondition.id)))


def attach(session, application: Application, *, actor: str) -> int:
    """Put every current condition on the place as pending, unless the place has it
    already (in any version). Returns how many were added."""
    held = set(session.scalars(
        select(Condition.key).join(PlaceCondition, PlaceCondition.condition_id == Condition.id)
        .where(PlaceCondition.application_id == application.id)))
    added = [PlaceCondition(application_id=application.id, condition_id=c.id)
             for c in current(session) if c.key not in held]
    session.add_all(added)
    if added:
        session.flush()
        record("place_conditions.attach", "application", application.id, actor=actor,
               detail={"count": len(added)}, session=session)
    return len(added)


def place_condition(session, application: Application, place_condition_id) -> PlaceCondition:
    try:
        found = session.get(PlaceCondition, int(place_condition_id))
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None or found.application_id != application.id:
        raise Refused("This condition is not on this place", field="place_condition_id",
                      status=404)
    return found


def record_status(session, row: PlaceCondition, status: str, *, actor: str) -> PlaceCondition:
    if status not in STATUSES:
        raise Refused("Choose pending, met or not met", field="status")
    before = row.status
    row.status, row.recorded_at, row.recorded_by = status, func.now(), actor
    session.flush()
    session.refresh(row)
    record("place_condition.record", "application", row.application_id, actor=actor,
           detail={"condition": row.condition.key, "from": before, "to": status},
           session=session)
    return row


def unmet(session, application_id: int) -> list[PlaceCondition]:
    return [row for row in of_place(session, application_id) if row.status in UNMET]


def latest_override(session, application_id: int) -> ConditionOverride | None:
    return session.scalars(select(ConditionOverride).where(
        ConditionOverride.application_id == application_id)
        .order_by(ConditionOverride.id.desc()).limit(1)).first()


def override(session, application: Application, *, reason: str,
             actor: str) -> ConditionOverride:
    """A lead lets this trainee start training with conditions unmet (the permission
    table says who may: conditions_override:write)."""
    if not (reason or "").strip():
        raise Refused("Give the reason this person may start training with conditions "
                      "unmet", field="reason")
    missing = unmet(session, application.id)
    if not missing:
        raise Refused("Every condition of this place is met: there is nothing to override")
    row = ConditionOverride(application_id=application.id, reason=reason.strip(),
                            overridden_by=actor)
    session.add(row)
    session.flush()
    record("place_conditions.override", "application", application.id, actor=actor,
           detail={"unmet": [r.condition.key for r in missing]},
           session=session)
    return row


def _may_start(rows: list[PlaceCondition], override: ConditionOverride | None) -> bool:
    """The rule: every condition met, or a lead's override."""
    return override is not None or not any(row.status in UNMET for row in rows)


def standing(session, application_id: int) -> dict:
    """A place's conditions, its latest override and whether training may start, read once
    (the application page and the API show all three)."""
    rows = of_place(session, application_id)
    override_row = latest_override(session, application_id)
    return {"conditions": rows, "override": override_row,
            "may_start": _may_start(rows, override_row)}


def may_start(session, application_id: int) -> bool:
    return standing(session, application_id)["may_start"]


def check_may_start(session, application: Application) -> None:
    place = standing(session, application.id)
    if place["may_start"]:
        return
    labels = ", ".join(row.condition.label for row in place["conditions"]
                       if row.status in UNMET)
    raise ConditionsUnmet(f"{application.reference} cannot start training: conditions not "
                          f"met yet ({labels}). A lead can let them start, with a reason.")


def held_back(session, cohort_id: int) -> list[tuple[Application, str, list[PlaceCondition]]]:
    """People holding an accepted place who cannot start training yet, with what is unmet
    (three queries for the whole cohort)."""
    rows = session.execute(
        select(Application, Applicant.name).join(Applicant,
                                                 Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id, Application.stage == "place_accepted")
        .order_by(Applicant.name)).all()
    ids = [application.id for application, _ in rows]
    missing: dict[int, list[PlaceCondition]] = {}
    for row in session.scalars(
            select(PlaceCondition).join(Condition, Condition.id == PlaceCondition.condition_id)
            .where(PlaceCondition.application_id.in_(ids), PlaceCondition.status.in_(UNMET))
            .order_by(Condition.position, PlaceCondition.id)):
        missing.setdefault(row.application_id, []).append(row)
    overridden = set(session.scalars(select(ConditionOverride.application_id).where(
        ConditionOverride.application_id.in_(ids))))
    return [(application, name, missing[application.id]) for application, name in rows
            if application.id in missing and application.id not in overridden]


def outstanding_for_applicant(session, application_id: int) -> dict:
    """What the applicant reads in their account: plain sentences, nothing clinical."""
    rows = of_place(session, application_id)
    waiting = [f"We are waiting for {r.condition.waiting_for}." for r in rows
               if r.status == "pending"]
    talk = [f"We need to talk to you about {r.condition.waiting_for}. The team will be in "
            "touch." for r in rows if r.status == "not_met"]
    return {"any": bool(rows), "outstanding": waiting + talk,
            "all_met": bool(rows) and all(r.status == "met" for r in rows)}

