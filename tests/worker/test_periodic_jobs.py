"""The worker's clock registers the outbox sweeper, the nightly retention run and the daily
deadline run."""

from __future__ import annotations

from rq.cron import CronScheduler

from worker import deadlines, jobs, retention
from worker.main import DEADLINES_CRON, RETENTION_CRON, register_periodic_jobs


def test_the_cron_scheduler_runs_the_sweeper_and_nightly_retention(app, redis_conn):
    cron = CronScheduler(connection=redis_conn)
    register_periodic_jobs(cron, 60)
    registered = {job.func: job for job in cron.get_jobs()}
    assert registered[jobs.sweep].interval == 60
    assert registered[retention.enqueue_retention_for_every_trust].cron == RETENTION_CRON


def test_the_cron_scheduler_runs_the_deadlines_once_a_day_for_every_trust(app, redis_conn):
    cron = CronScheduler(connection=redis_conn)
    register_periodic_jobs(cron, 60)
    registered = {job.func: job for job in cron.get_jobs()}
    assert registered[deadlines.enqueue_deadlines_for_every_trust].cron == DEADLINES_CRON
