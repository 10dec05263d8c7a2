"""What follows, for a place's conditions, from an application changing stage (loaded by
the composition root): an offered or accepted place gets the trust's current conditions,
and no path (the places page, the application page's move, the API) starts someone's
training while a condition is unmet, unless a lead overrode it."""

from __future__ import annotations

from tenants.applications.events import StageChange, stage_changed
from tenants.conditions import service

PLACE_STAGES = frozenset({"place_offered", "place_accepted"})


@stage_changed.connect
def attach_conditions(change: StageChange) -> None:
    if change.to_stage in PLACE_STAGES:
        service.attach(change.session, change.application, actor=change.actor)


@stage_changed.connect
def refuse_training_with_unmet_conditions(change: StageChange) -> None:
    """Raises ConditionsUnmet (a Refused): the caller rolls the move back."""
    if change.to_stage == "in_training":
        service.check_may_start(change.session, change.application)
