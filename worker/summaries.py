"""The daily repair of the list of trusts on `/`: `enqueue_summaries_for_every_trust` (the
worker's daily cron) queues `refresh_summary(slug)` for every active trust, with a per-day
job id. Every change a page, the API or a job makes is copied into platform.trust_summaries
in its own transaction (peerpath.trust_summary); this run rewrites each summary from the
trust's schema anyway, so drift from anything else (a restore, a hand-made fix in SQL, a bug)
lasts a day at most, and the drop-ins kept in the summary move on as days pass."""

from __future__ import annotations

from peerpath import trust_summary
from tenants.applications import deadlines
from worker.app import get_app
from worker.jobs import enqueue_for_every_trust

JOB = "worker.summaries.refresh_summary"


def refresh_summary(trust_slug: str) -> dict:
    trust_summary.refresh_one(get_app(), trust_slug)
    return {"refreshed": trust_slug}


def enqueue_summaries_for_every_trust(today=None) -> list[str]:
    return enqueue_for_every_trust(JOB, "summaries", today or deadlines.today())
