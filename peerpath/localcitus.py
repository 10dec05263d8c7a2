"""Citus 13.2 schema-based sharding on loopback, for `make test-citus` (PEERPATH_CITUS=1).

peerpath.localservices starts the coordinator (its usual PostgreSQL server) and WORKERS
worker servers with the settings here, all from the relocated PostgreSQL that `make citus`
builds in .peerpath/citus/root (Debian's `postgres` with citus.so beside it; see
scripts/build-citus). Then each database the app uses is made a Citus database with
`add_database`: the extension on every node, the coordinator's own address, both workers.
The platform schema stays on the coordinator; every trust schema that onboarding creates is a
distributed schema placed on a worker (peerpath/onboarding.py). Stdlib only, like the rest of
the local servers: SQL goes through `psql`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from peerpath.localprocess import ServiceError

FLAG = "PEERPATH_CITUS"
WORKERS_ENV = "PEERPATH_CITUS_WORKERS"  # "127.0.0.1:port,127.0.0.1:port", set by localservices
WORKERS = 2
PG_BINDIR = Path("/usr/lib/postgresql/15/bin")  # Debian's PostgreSQL 15, which Citus is built for
BUILD = Path(__file__).resolve().parents[1] / ".peerpath" / "citus"
POSTGRES = BUILD / "root" / "usr" / "lib" / "postgresql" / "15" / "bin" / "postgres"
HOST = "127.0.0.1"

_COMMON = {
    "shared_preload_libraries": "'citus'",
    # Citus commits a transaction that wrote to a worker and the coordinator with two-phase
    # commit; it would also raise this itself.
    "max_prepared_transactions": "300",
    "citus.log_remote_commands": "off",
}
COORDINATOR_SETTINGS = {**_COMMON, "citus.enable_schema_based_sharding": "on"}
WORKER_SETTINGS = {**_COMMON, "shared_buffers": "64MB"}


def wanted() -> bool:
    return os.environ.get(FLAG, "") not in ("", "0")


def postgres_binary() -> Path:
    if not (POSTGRES.is_file() and (BUILD / ".built").is_file()):
        raise ServiceError(f"Citus is not built in {BUILD}: run `make citus` first "
                           f"(or unset {FLAG})")
    return POSTGRES


def worker_name(number: int) -> str:
    return f"citus-worker-{number}"


def workers_env(workers: list[dict]) -> str:
    return ",".join(f"{HOST}:{w['port']}" for w in workers)


def start_workers(coordinator: dict, start_pg: Callable, stop_pg: Callable,
                  env_of: Callable) -> list[dict]:
    """Start the workers with peerpath.localservices' own `start_pg(name, password,
    settings)` (the coordinator's owner password), and join them to its `peerpath`
    database."""
    workers: list[dict] = []
    try:
        for number in range(1, WORKERS + 1):
            stop_pg(None, worker_name(number))  # leftovers of a crashed run
            workers.append(start_pg(worker_name(number), coordinator["password"],
                                    WORKER_SETTINGS))
        env = env_of({"pg": coordinator, "redis": {"port": 0}, "citus": workers})
        add_database(env["DATABASE_URL"], "peerpath", env[WORKERS_ENV])
    except BaseException:
        stop_workers(workers, stop_pg)
        raise
    return workers


def stop_workers(workers: list[dict] | None, stop_pg: Callable) -> None:
    """Stop every worker (also those a crashed run left, known or not)."""
    for number in range(1, WORKERS + 1):
        known = workers[number - 1] if workers and len(workers) >= number else None
        stop_pg(known, worker_name(number))


def _psql(port: int, password: str, database: str, script: str) -> str:
    done = subprocess.run(
        [str(PG_BINDIR / "psql"), "-h", HOST, "-p", str(port), "-U", "postgres", "-d",
         database, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", script],
        env={**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"},
        capture_output=True, text=True)
    if done.returncode:
        raise ServiceError(f"Citus setup on port {port}, database {database}, failed: "
                           f"{done.stderr.strip()}")
    return done.stdout


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _nodes(server_url: str, workers: str | None) -> tuple[int, str, list[int]]:
    parts = urlsplit(server_url)
    workers = os.environ.get(WORKERS_ENV, "") if workers is None else workers
    ports = [int(p.rsplit(":", 1)[1]) for p in workers.split(",") if p]
    if not ports:
        raise ServiceError(f"{WORKERS_ENV} is not set: start the servers with {FLAG}=1")
    return parts.port or 5432, unquote(parts.password or ""), ports


def authinfo_insert(role: str, password: str) -> str:
    """The password Citus uses when it connects to any node (nodeid 0) as `role`."""
    return ("INSERT INTO pg_catalog.pg_dist_authinfo (nodeid, rolename, authinfo) "  # noqa: S608
            f"VALUES (0, {_literal(role)}, {_literal('password=' + password)}) "
            "ON CONFLICT DO NOTHING")


def drop_database(server_url: str, database: str, workers: str | None = None) -> None:
    """Drop `database` on every worker (the coordinator's is the caller's to drop)."""
    _port, password, ports = _nodes(server_url, workers)
    for port in ports:
        _psql(port, password, "postgres",
              f"DROP DATABASE IF EXISTS {_ident(database)} WITH (FORCE)")


def add_database(server_url: str, database: str, workers: str | None = None) -> None:
    """Make the coordinator's (existing) `database` a Citus database with both workers.

    The workers get a database of the same name with the extension; the coordinator records
    its own address (so the platform schema's tables are known to stay there) and the
    workers. The owner's password is kept in pg_dist_authinfo, which Citus reads when it
    connects to a node as that role (Citus connects as the current role, see docs/scaling.md).
    """
    port, password, ports = _nodes(server_url, workers)
    for worker in ports:
        exists = _psql(worker, password, "postgres",
                       f"SELECT 1 FROM pg_database WHERE datname = {_literal(database)}")  # noqa: S608
        if not exists.strip():
            _psql(worker, password, "postgres", f"CREATE DATABASE {_ident(database)}")
        # Workers connect to each other as the owner too (a trust's move copies its shards).
        _psql(worker, password, database, "CREATE EXTENSION IF NOT EXISTS citus;\n"
              + authinfo_insert("postgres", password))
    statements = [
        "CREATE EXTENSION IF NOT EXISTS citus",
        authinfo_insert("postgres", password),
        f"SELECT citus_set_coordinator_host({_literal(HOST)}, {port})",
        *(f"SELECT citus_add_node({_literal(HOST)}, {w})" for w in ports),
    ]
    _psql(port, password, database, ";\n".join(statements))
