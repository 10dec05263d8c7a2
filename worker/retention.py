"""Retention jobs. Schedule `run_retention` nightly per trust (its one argument is the slug),
e.g. with `enqueue_retention_for_every_trust` from cron or the RQ scheduler."""

from __future__ import annotations

import datetime as dt

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.retention import service
from worker.app import get_app
from worker.jobs import enqueue_for_every_trust

JOB = "worker.retention.run_retention"


def run_retention(trust_slug: str) -> dict:
    """Anonymise what is past retention in one trust and log the run; returns its status
    and counts (ids and numbers only, so the job's result in Redis holds no personal data)."""
    with tenant_context(trust_slug, app=get_app()):
        run = service.run_retention(db.session, trigger="job")
        return {"run_id": run.id, "status": run.status, "counts": run.counts}


def enqueue_retention_for_every_trust(today: dt.date | None = None) -> list[str]:
    """One job per active trust, with a per-day job id: calling it twice a day adds nothing."""
    return enqueue_for_every_trust(JOB, "retention", today or dt.datetime.now(dt.UTC).date())
