"""Shared set-up for benchmarks: a scratch database on the benchmark's server."""

from __future__ import annotations

import os
import statistics
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from peerpath import localcitus


def scratch_database(name: str) -> str:
    """A fresh database `name` next to DATABASE_URL's; sets DATABASE_URL to it. Under Citus
    (`make bench-citus`) it is made on the workers too and joined to the coordinator."""
    server, citus = os.environ["DATABASE_URL"], bool(os.environ.get(localcitus.WORKERS_ENV))
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    with psycopg.connect(server, autocommit=True) as conn:
        roles = []
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            with psycopg.connect(url) as old:
                if old.execute("SELECT to_regclass('platform.trusts')").fetchone()[0]:
                    roles = [r for (r,) in old.execute("SELECT role_name FROM platform.trusts")]
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if citus:
            localcitus.drop_database(server, name)
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    if citus:
        localcitus.add_database(server, name)
    os.environ["DATABASE_URL"] = url
    return url


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
            f"min {ordered[0] * 1000:.1f} ms, n={len(ordered)}")
