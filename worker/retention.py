"""Retention jobs. Schedule `run_retention` nightly per trust (its one argument is the slug),
e.g. with `enqueue_retention_for_every_trust` from cron or the RQ scheduler."""

from __future__ import annotations

import datetime as dt

from rq.job import Job
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.models import Trust
from peerpath.queue import enqueue
from peerpath.tenancy import tenant_context
from tenants.retention import service
from worker.app import get_app

JOB = "worker.retention.run_retention"


def run_retention(trust_slug: str) -> dict:
    """Anonymise what is past retention in one trust and log the run; returns its status
    and counts (ids and numbers only, so the job's result in Redis holds no personal data)."""
    with tenant_context(trust_slug, app=get_app()):
        run = service.run_retention(db.session, trigger="job")
        return {"run_id": run.id, "status": run.status, "counts": run.counts}


def enqueue_retention_for_every_trust(today: dt.date | None = None) -> list[str]:
    """One job per active trust, with a per-day job id: calling it twice a day adds nothing."""
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    with get_app().app_context():
        with Session(db.engine) as session:
            slugs = list(session.scalars(select(Trust.slug).where(Trust.status == "active")
                                         .order_by(Trust.slug)))
        connection = get_app().extensions["redis"]
        for slug in slugs:
            job_id = f"retention-{slug}-{day}"
            if not Job.exists(job_id, connection=connection):
                enqueue(JOB, slug, job_id=job_id)
    return slugs
