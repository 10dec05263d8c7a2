"""`peerpath worker`: a forking RQ worker with its scheduler, plus the every-minute sweeper.

The worker's own scheduler moves jobs queued with enqueue_at/enqueue_in (reminders,
retries) onto the queue. The sweeper is an rq.cron.CronScheduler in a child process that
enqueues worker.jobs.sweep every NOTIFY_SWEEP_SECONDS; several workers may each run one,
which is harmless (a sweep only wakes trusts, with deterministic job ids).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time

from rq import Worker
from rq.cron import CronScheduler

from peerpath.queue import DEFAULT, NOTIFICATIONS, QUEUES
from tenants.notifications.options import option

# Imported once here: every forked job inherits them.
from worker import deadlines, jobs, retention, summaries
from worker.app import get_app

log = logging.getLogger("peerpath.worker")


RETENTION_CRON = "30 2 * * *"  # nightly, 02:30 UTC, when nobody is using the service
# Daily at 00:05 UTC: reply-by dates that passed yesterday lapse before anyone starts work.
DEADLINES_CRON = "5 0 * * *"
# Daily at 00:15 UTC: every trust's summary on `/` rewritten from its schema (drift repair).
SUMMARIES_CRON = "15 0 * * *"


def register_periodic_jobs(cron: CronScheduler, sweep_interval: int) -> None:
    """The platform's clock: the outbox sweeper, and the nightly runs per trust (retention,
    deadlines, the summaries on `/`)."""
    cron.register(jobs.sweep, queue_name=NOTIFICATIONS, interval=sweep_interval,
                  job_timeout=300, result_ttl=600)
    cron.register(retention.enqueue_retention_for_every_trust, queue_name=DEFAULT,
                  cron=RETENTION_CRON, job_timeout=600, result_ttl=86400)
    cron.register(deadlines.enqueue_deadlines_for_every_trust, queue_name=DEFAULT,
                  cron=DEADLINES_CRON, job_timeout=600, result_ttl=86400)
    cron.register(summaries.enqueue_summaries_for_every_trust, queue_name=DEFAULT,
                  cron=SUMMARIES_CRON, job_timeout=600, result_ttl=86400)


def run_cron(parent_pid: int) -> None:
    """The sweeper's clock; stops when the worker that started it is gone."""
    app = get_app()
    with app.app_context():
        interval = option("NOTIFY_SWEEP_SECONDS")
    cron = CronScheduler(connection=app.extensions["redis"], logging_level="WARNING")
    register_periodic_jobs(cron, interval)
    cron.register_birth()
    try:
        while os.getppid() == parent_pid:
            try:
                if cron.enqueue_jobs():
                    cron.save()
                cron.heartbeat()
            except Exception:  # Redis restarting: try again on the next tick
                log.warning("sweeper could not reach Redis", extra={"event": "notify.cron"})
            time.sleep(min(max(cron.calculate_sleep_interval(), 0.2), 1.0))
    finally:
        try:
            cron.register_death()
        except Exception:
            log.debug("sweeper could not deregister", extra={"event": "notify.cron"})


def start_cron() -> multiprocessing.Process:
    process = multiprocessing.get_context("fork").Process(
        target=run_cron, args=(os.getpid(),), name="peerpath-sweeper", daemon=True)
    process.start()
    return process


def run(queues=QUEUES, burst: bool = False, with_scheduler: bool = True,
        with_sweeper: bool = True) -> bool:
    app = get_app()
    connection = app.extensions["redis"]
    sweeper = start_cron() if with_sweeper and not burst else None
    worker = Worker(list(queues), connection=connection)
    log.info("worker starting", extra={"event": worker.name})
    try:
        return worker.work(with_scheduler=with_scheduler, burst=burst, logging_level="INFO")
    finally:
        if sweeper is not None and sweeper.is_alive():
            sweeper.terminate()
            sweeper.join(5)
