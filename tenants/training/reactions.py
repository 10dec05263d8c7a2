"""What follows, in training, from an application changing stage: a place given back is
offered to the next person on the waiting list. Loaded by the composition root."""

from __future__ import annotations

from tenants.applications.events import StageChange, stage_changed
from tenants.training.service import offer_to_waiting_list

HOLDING_A_PLACE = frozenset({"place_offered", "place_accepted"})
GIVING_IT_BACK = frozenset({"withdrawn", "deferred"})


@stage_changed.connect
def offer_freed_place(change: StageChange) -> None:
    if change.from_stage in HOLDING_A_PLACE and change.to_stage in GIVING_IT_BACK:
        offer_to_waiting_list(change.session, change.application.cohort_id, actor=change.actor)
