"""Keeps the outcome of each `peerpath trusts upgrade` for the console (platform.upgrade_runs
and platform.upgrade_results). Light on imports and needs no app: the command runs on every
deploy and must stay quick when there is nothing to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import text

from peerpath.database import owner_engine
from peerpath.fleet import UpgradeResult
from peerpath.migrate import tenant_head


def record_upgrade_run(database_url: str, results: Sequence[UpgradeResult],
                       started_at: dt.datetime, actor: str = "cli") -> int:
    engine = owner_engine(database_url)
    try:
        with engine.begin() as conn:
            run_id = conn.execute(text(
                "INSERT INTO platform.upgrade_runs (actor, head, started_at, upgraded, failed) "
                "VALUES (:actor, :head, :started_at, :upgraded, :failed) RETURNING id"),
                {"actor": actor, "head": tenant_head(), "started_at": started_at,
                 "upgraded": sum(r.ok for r in results),
                 "failed": sum(not r.ok for r in results)}).scalar_one()
            if results:
                conn.execute(text(
                    "INSERT INTO platform.upgrade_results "
                    "(run_id, slug, before, after, ok, seconds, error) "
                    "VALUES (:run_id, :slug, :before, :after, :ok, :seconds, :error)"),
                    [{"run_id": run_id, "slug": r.slug, "before": r.before, "after": r.after,
                      "ok": r.ok, "seconds": r.seconds,
                      "error": r.error[:2000] if r.error else None} for r in results])
    finally:
        engine.dispose()
    return run_id
