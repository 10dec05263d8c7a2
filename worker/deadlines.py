"""Deadline jobs. `run_deadlines(slug)` lapses a trust's overdue invitations and offers and,
on the working day before EOIs fall due, chases the team to respond to them;
`enqueue_deadlines_for_every_trust` (the worker's daily cron) queues one per active trust,
with a per-day job id so a second call that day adds nothing."""

from __future__ import annotations

import datetime as dt

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications import deadlines, responses
from worker.app import get_app
from worker.jobs import enqueue_for_every_trust

JOB = "worker.deadlines.run_deadlines"


def run_deadlines(trust_slug: str) -> dict:
    """Ids and counts only: the job's result in Redis holds nothing about a person."""
    with tenant_context(trust_slug, app=get_app()):
        lapsed = deadlines.lapse_overdue(db.session)
        db.session.commit()
        chased = responses.chase(db.session)
        db.session.commit()
    return {"lapsed": len(lapsed), "eois_chased": chased}


def enqueue_deadlines_for_every_trust(today: dt.date | None = None) -> list[str]:
    return enqueue_for_every_trust(JOB, "deadlines", today or deadlines.today())
