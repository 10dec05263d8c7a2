"""RQ jobs. Each takes ids only and opens its own tenant transaction from the trust slug.

`deliver(slug, row_id)` sends every due message of the trust, a batch at a time, over one
reused connection; `row_id` is the row that woke it (for the job id and the log).
`sweep()` runs every minute and wakes trusts whose outbox still has due rows, so a Redis
restart, a lost job or a killed worker delays a message but never loses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from rq import get_current_job
from rq.job import Job
from sqlalchemy import select
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.models import Trust
from peerpath.queue import enqueue
from peerpath.tenancy import TenantSuspended, UnknownTenant, tenant_context
from tenants.notifications import delivery, service
from tenants.notifications.options import option
from worker.app import get_app

log = logging.getLogger("peerpath.worker")


class JobLog(logging.LoggerAdapter):
    """Every line names the trust and the job; never a person."""

    def process(self, msg, kwargs):
        kwargs["extra"] = {**self.extra, **kwargs.get("extra", {})}
        return msg, kwargs


def job_log(slug: str | None) -> JobLog:
    job = get_current_job()
    return JobLog(log, {"trust": slug, "job_id": job.id if job else None})


def _fresh_connections(app) -> None:
    # A forked work-horse must not reuse the parent's pooled sockets.
    with app.app_context():
        db.engine.dispose(close=False)


def deliver(trust_slug: str, row_id: int) -> dict:
    app = get_app()
    _fresh_connections(app)
    logger = job_log(trust_slug)
    redis = app.extensions["redis"]
    try:
        with tenant_context(trust_slug, app=app) as tenant:
            # Delete the marker before claiming: rows committed later queue a new job.
            redis.delete(service.wake_key(tenant.slug))
            batch_size = option("NOTIFY_BATCH_SIZE")
            token, rows = delivery.claim(db.session, batch_size)
            if len(rows) == batch_size:
                # More may be due: let another worker start on the next batch meanwhile.
                service.wake(redis, tenant.slug, rows[-1].id, tag=f"after{rows[-1].id}")
            result = delivery.send_batch(db.session, tenant, token, rows)
    except TenantSuspended:
        redis.delete(service.wake_key(trust_slug))  # the sweeper wakes it once resumed
        logger.info("skipped: the trust is suspended", extra={"event": "notify.skipped"})
        return {"skipped": "suspended"}
    except UnknownTenant:
        logger.info("skipped: no such trust", extra={"event": "notify.skipped"})
        return {"skipped": "unknown trust"}
    logger.info("delivered a batch", extra={
        "event": "notify.batch", "count": result.sent,
        "result": f"claimed={result.claimed} failed={result.failed} "
                  f"deferred={result.deferred} woken_by={row_id}"})
    return result.__dict__


def active_trusts(app) -> list[str]:
    with app.app_context(), Session(db.engine) as session:
        return list(session.scalars(select(Trust.slug).where(Trust.status == "active")
                                    .order_by(Trust.slug)))


def enqueue_for_every_trust(job: str, name: str, day: dt.date) -> list[str]:
    """Queue `job(slug)` for every active trust with the job id `<name>-<slug>-<day>`, so a
    second call the same day adds nothing (the daily crons: deadlines, summaries, retention)."""
    app = get_app()
    slugs = active_trusts(app)
    with app.app_context():
        connection = app.extensions["redis"]
        for slug in slugs:
            job_id = f"{name}-{slug}-{day.isoformat()}"
            if not Job.exists(job_id, connection=connection):
                enqueue(job, slug, job_id=job_id)
    return slugs


def sweep() -> dict:
    """Wake every active trust with due rows (suspended trusts wait until resumed)."""
    app = get_app()
    _fresh_connections(app)
    redis = app.extensions["redis"]
    woken = {}
    for slug in active_trusts(app):
        try:
            with tenant_context(slug, app=app):
                first, count = delivery.due_summary(db.session)
        except (TenantSuspended, UnknownTenant):
            job_log(slug).info("sweep skipped the trust", extra={"event": "notify.skipped"})
            continue
        if count:
            period = int(time.time() // max(option("NOTIFY_SWEEP_SECONDS"), 1))
            service.wake(redis, slug, first, tag=f"sweep{period}", repair=True)
            woken[slug] = count
            job_log(slug).info("sweep found due messages", extra={
                "event": "notify.sweep", "count": count})
    return woken
