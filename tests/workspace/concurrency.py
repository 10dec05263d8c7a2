"""Run one call per thread, all released at the same moment, each in its own transaction."""

from __future__ import annotations

import threading

from peerpath.extensions import db
from peerpath.tenancy import tenant_context


def race(app, tenant, calls) -> list[object]:
    """calls: functions of (session) run together; returns each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        with app.test_request_context(), tenant_context(tenant, app):
            try:
                barrier.wait(timeout=30)
                results[index] = call(db.session)
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
