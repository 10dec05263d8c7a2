"""Nothing is lost and nothing is sent twice when a worker is killed and Redis loses its data."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from peerpath.extensions import db
from peerpath.localservices import restart_redis
from peerpath.tenancy import tenant_context
from tenants.notifications import service
from tests.notifications.conftest import applicant, statuses, wait_for


def test_a_killed_worker_and_a_flushed_redis_still_send_every_row_exactly_once(
        app, make_trust, smtp_server, start_worker):
    handler, _ = smtp_server
    trust = make_trust()
    # One sending thread: then "a message half-way through" is the only one in flight. (The
    # gap between the server's acceptance and our commit cannot be closed by anyone.)
    first = start_worker(NOTIFY_SEND_THREADS="1")
    handler.slow_rcpt.clear()
    with tenant_context(trust, app=app):
        for n in range(12):
            service.queue_message(db.session, "test_message", applicant(n, domain="slow.test"),
                                  {"sent_by": "a test"})
        db.session.commit()
    # Kill the worker, its work-horse and its sweeper while a message is half-way through
    # its SMTP conversation (the server is holding the RCPT answer), some already sent.
    wait_for(lambda: len(handler.for_trust(trust.slug)) >= 2)
    handler.slow_rcpt.clear()
    assert handler.slow_rcpt.wait(10)
    first.kill()
    sent_before = len(handler.for_trust(trust.slug))
    assert 2 <= sent_before < 12
    assert "sending" in statuses(app, trust).values()

    restart_redis(Path(os.environ["PEERPATH_SERVICES_DIR"]), flush=True)
    assert app.extensions["redis"].dbsize() == 0
    # Nothing is queued any more: only the new worker's sweeper can find the rows.
    start_worker(NOTIFY_SEND_THREADS="1")

    wait_for(lambda: set(statuses(app, trust).values()) == {"sent"}, timeout=60)
    ids = Counter(m["Message-ID"] for m in handler.for_trust(trust.slug))
    assert len(ids) == 12 and set(ids.values()) == {1}
