"""What follows, in training, from an application changing stage and from a cohort's
calendar: a place given back is offered to the next person on the waiting list; a deferred
place is recorded with the cohort it left, reinstated when a later cohort is set up, and
both sides hear when that cohort's dates are set. Loaded by the composition root."""

from __future__ import annotations

from tenants.applications.events import StageChange, stage_changed
from tenants.cohorts.events import cohort_dates_set, training_days_changed
from tenants.training import deferral
from tenants.training.service import offer_to_waiting_list

HOLDING_A_PLACE = frozenset({"place_offered", "place_accepted"})
GIVING_IT_BACK = frozenset({"withdrawn", "deferred"})


@stage_changed.connect
def offer_freed_place(change: StageChange) -> None:
    if change.from_stage in HOLDING_A_PLACE and change.to_stage in GIVING_IT_BACK:
        offer_to_waiting_list(change.session, change.application.cohort_id, actor=change.actor)


@stage_changed.connect
def record_deferred_place(change: StageChange) -> None:
    if change.from_stage in HOLDING_A_PLACE and change.to_stage == "deferred":
        deferral.record_deferral(change.session, change.application,
                                 from_stage=change.from_stage, actor=change.actor,
                                 reason=change.reason, by_applicant=change.by_applicant)


@cohort_dates_set.connect
def reinstate_deferred_places(cohort, *, session, actor: str) -> None:
    deferral.on_dates_set(session, cohort, actor=actor)


@training_days_changed.connect
def tell_of_new_dates(cohort, *, session, actor: str) -> None:
    deferral.remind_both_sides(session, cohort)
