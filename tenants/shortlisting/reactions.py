"""What follows, in shortlisting, from an application changing stage: once an accepted
place fills the cohort, the reserve list hears the outcome. Loaded by the composition root."""

from __future__ import annotations

from tenants.applications.events import StageChange, stage_changed
from tenants.cohorts.models import Cohort
from tenants.shortlisting.service import close_reserve_list


@stage_changed.connect
def close_reserve_list_when_full(change: StageChange) -> None:
    if change.to_stage == "place_accepted":
        cohort = change.session.get(Cohort, change.application.cohort_id)
        close_reserve_list(change.session, cohort, actor=change.actor)
