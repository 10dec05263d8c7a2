"""Fleet upgrades: find the stale trust schemas in one query, migrate only those, in parallel.

Each trust is migrated in its own transaction with a lock timeout, so one trust that is
locked or broken fails alone and the others go on; the caller gets a result per trust.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import Connection, Engine, text

from peerpath import sharding
from peerpath.database import owner_engine
from peerpath.migrate import (
    VERSION_TABLE,
    offline_upgrade_sql,
    set_search_path,
    tenant_head,
    upgrade_tenant_schema,
)


@dataclass(frozen=True)
class SchemaVersion:
    slug: str
    schema: str
    version: str | None


@dataclass(frozen=True)
class UpgradeResult:
    slug: str
    before: str | None
    after: str | None
    ok: bool
    seconds: float
    error: str | None = None


def schema_versions(conn: Connection) -> list[SchemaVersion]:
    """Every live trust's schema version, read in one call (platform.tenant_schema_versions,
    migration p0002): the owner reads each version table without a round trip per trust."""
    rows = conn.execute(text(
        "SELECT slug, schema_name, version FROM platform.tenant_schema_versions()")).all()
    return [SchemaVersion(slug, schema, version) for slug, schema, version in rows]


def stale_schemas(conn: Connection, head: str | None = None) -> list[SchemaVersion]:
    head = head or tenant_head()
    return [v for v in schema_versions(conn) if v.version != head]


def upgrade_one(engine: Engine, stale: SchemaVersion, lock_timeout: str,
                head: str | None = None, offline: bool = True) -> UpgradeResult:
    """Migrate one schema in its own transaction: the pre-rendered script if there is one
    for its version (one round trip), else Alembic online. On Citus always online, one
    statement at a time: Citus forwards DDL such as ALTER TABLE to the trust's worker as the
    statement's text, which must then be one statement (peerpath/sharding.py)."""
    started = time.perf_counter()
    script = (offline_upgrade_sql(stale.version, head)
              if offline and stale.version and head else None)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT set_config('lock_timeout', :t, true)"), {"t": lock_timeout})
            if script:
                set_search_path(conn, stale.schema)
                conn.connection.driver_connection.execute(script)
            else:
                upgrade_tenant_schema(conn, stale.schema)
            after = conn.exec_driver_sql(sql.SQL("SELECT version_num FROM {}").format(
                sql.Identifier(stale.schema, VERSION_TABLE)).as_string()).scalar()
        return UpgradeResult(stale.slug, stale.version, after, True,
                             time.perf_counter() - started)
    except Exception as exc:  # one trust's failure is reported, never stops the others
        return UpgradeResult(stale.slug, stale.version, stale.version, False,
                             time.perf_counter() - started, f"{type(exc).__name__}: {exc}")


_worker_engine: Engine | None = None


def _start_worker(database_url: str) -> None:
    # The pool stops its workers with SIGTERM when it closes; a forked worker inherits the
    # parent's handlers (`peerpath dev serve`'s, a test run's), and one that catches SIGTERM
    # would leave the pool waiting for ever (seen once in `make test`).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    global _worker_engine
    _worker_engine = owner_engine(database_url)


def _upgrade_in_worker(job: tuple[SchemaVersion, str, str, bool]) -> UpgradeResult:
    return upgrade_one(_worker_engine, *job)


def upgrade_fleet(database_url: str, jobs: int = 4, lock_timeout: str = "5s",
                  ) -> list[UpgradeResult]:
    """Upgrade every stale trust schema, `jobs` trusts at a time.

    Parallel work uses processes, not threads: Alembic's `op` and `context` are
    module-global proxies, so two migrations in one process would trample each other.
    """
    head = tenant_head()
    engine = owner_engine(database_url)
    try:
        with engine.connect() as conn:
            stale = stale_schemas(conn, head)
            offline = not sharding.installed(conn.connection.driver_connection)
        for version in {s.version for s in stale if s.version and offline}:
            offline_upgrade_sql(version, head)  # rendered once here, inherited by the workers
        if not stale or jobs <= 1:
            return [upgrade_one(engine, s, lock_timeout, head, offline) for s in stale]
    finally:
        engine.dispose()
    work = [(s, lock_timeout, head, offline) for s in stale]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(work)), _start_worker, (database_url,)) as pool:
        return pool.map(_upgrade_in_worker, work, chunksize=max(1, len(work) // (jobs * 8)))
