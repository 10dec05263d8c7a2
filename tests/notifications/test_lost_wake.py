"""A wake-up marker whose job was lost (popped from the queue by a killed worker's connection,
which its child processes still held) no longer holds a trust's messages back for WAKE_TTL:
the sweeper sees the job is neither queued nor running and queues another at once."""

from __future__ import annotations

from peerpath.queue import NOTIFICATIONS, get_queue
from tenants.notifications import service
from tests.conftest import unique_slug


def test_the_sweeper_replaces_a_marker_whose_job_was_lost(app):
    redis, slug = app.extensions["redis"], unique_slug("lost")
    queue = get_queue(NOTIFICATIONS, redis)
    try:
        assert service.wake(redis, slug, 7, tag="new")
        first = f"notify-{slug}-7-new"
        assert redis.lpos(queue.key, first) is not None
        # Still queued: neither a second wake-up nor the sweeper queues another job.
        assert not service.wake(redis, slug, 8, tag="sweep1", repair=True)
        redis.lrem(queue.key, 0, first)  # what a dead worker's blocked connection does
        assert not service.wake(redis, slug, 8, tag="again")  # an ordinary wake-up trusts it
        assert service.wake(redis, slug, 8, tag="sweep2", repair=True)
        assert redis.lpos(queue.key, f"notify-{slug}-8-sweep2") is not None
        assert redis.get(service.wake_key(slug)).decode() == f"notify-{slug}-8-sweep2"
    finally:
        for job_id in queue.get_job_ids():
            if slug in job_id:
                redis.lrem(queue.key, 0, job_id)
        redis.delete(service.wake_key(slug))
