"""Fixtures: a real PostgreSQL database and Redis, both from `make test`'s environment.

The suite runs in its own database (`<name>_test` next to DATABASE_URL's), rebuilt from
the real migrations at the start of every run. Trusts made by tests get unique slugs, so
tests never depend on each other's data.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from hypothesis import settings
from psycopg import sql
from redis import Redis

from peerpath import localcitus

os.environ.setdefault("PEERPATH_ENV", "test")

# Property tests and the API fuzzer draw the same examples on every run, so `make test` (and
# CI) gives one answer for one commit. To hunt for new failures, run with fresh randomness:
#   HYPOTHESIS_PROFILE=explore make test PYTEST_ARGS="tests/api tests/applications/test_fuzz.py"
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# Under pytest-xdist (`make test` runs two workers) each worker gets servers of its own: the first
# uses those `make test` started, the others start theirs beside them (trust roles are names in
# the whole PostgreSQL cluster, and tests flush Redis), and stop them when done.
_OWN_SERVICES: list[str] = []


def pytest_configure(config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    shared = os.environ.get("PEERPATH_SERVICES_DIR")
    if worker == "gw0":
        return
    if not shared:
        pytest.exit("servers of your own (DATABASE_URL, REDIS_URL) take one pytest process: "
                    "run with PYTEST_WORKERS=0 (pytest -n 0)", returncode=2)
    from peerpath import localservices

    base = f"{shared}-{worker}"
    os.environ.update(localservices.up(base), PEERPATH_SERVICES_DIR=base)
    _OWN_SERVICES.append(base)


def pytest_unconfigure(config) -> None:
    if _OWN_SERVICES:
        from peerpath import localservices

        localservices.down(_OWN_SERVICES.pop())


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _reset_test_database(server_url: str, name: str) -> None:
    """Drop the previous run's database and the trust roles it made, then create it anew
    (under Citus, `make test-citus`, on the workers too, joined to the coordinator)."""
    citus = bool(os.environ.get(localcitus.WORKERS_ENV))
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        roles: list[str] = []
        if exists:
            with psycopg.connect(_with_database(server_url, name)) as old:
                if old.execute("SELECT to_regclass('platform.trusts')").fetchone()[0]:
                    roles = [r for (r,) in old.execute("SELECT role_name FROM platform.trusts")]
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if citus:
            localcitus.drop_database(server_url, name)
        # Also trust roles an interrupted run left behind. A role that still holds
        # privileges in another database (someone else's trusts) refuses to go: kept.
        leftovers = [r for (r,) in conn.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'trust\\_%\\_rw'")]
        for role in dict.fromkeys(roles + leftovers):
            with contextlib.suppress(psycopg.errors.DependentObjectsStillExist):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    if citus:
        localcitus.add_database(server_url, name)


@pytest.fixture(scope="session")
def database_url() -> str:
    server_url = os.environ.get("DATABASE_URL")
    if not server_url or not os.environ.get("REDIS_URL"):
        pytest.exit("DATABASE_URL and REDIS_URL must be set: run the suite with `make test`",
                    returncode=2)
    name = (urlsplit(server_url).path.lstrip("/") or "peerpath") + "_test"
    _reset_test_database(server_url, name)
    url = _with_database(server_url, name)
    os.environ["DATABASE_URL"] = url
    from peerpath.config import load_config
    from peerpath.database import upgrade_database

    cfg = load_config()
    upgrade_database(url, cfg["APP_DATABASE_URL"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                     cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    return url


@pytest.fixture(scope="session")
def app(database_url):
    from peerpath.app import create_app

    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cli(app):
    """Run a `peerpath` command against the test app: cli("trusts", "list")."""
    from peerpath.cli import main

    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(main, args=list(args))


@pytest.fixture
def redis_conn(app) -> Redis:
    connection = app.extensions["redis"]
    connection.flushdb()
    return connection


def unique_slug(prefix: str = "t") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


@pytest.fixture
def make_trust(app):
    """Onboard a fresh trust: make_trust(slug=None, display_name=..., hosts=(...))."""
    from peerpath import trust_admin

    def make(slug: str | None = None, display_name: str = "Test NHS Trust", **kwargs):
        with app.app_context():
            slug = unique_slug() if slug is None else slug
            return trust_admin.onboard(slug=slug, display_name=display_name,
                                       actor="test", **kwargs)

    return make


@pytest.fixture
def owner_conn(database_url):
    """A psycopg connection as the database owner, for catalog checks."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


# The PgBouncer-only tests run behind PgBouncer in transaction mode (`make test-pgbouncer`);
# elsewhere they are not collected at all (neither run nor skipped).
collect_ignore = [] if os.environ.get("DATABASE_POOL_MODE") == "transaction" else ["pgbouncer"]
# Likewise the Citus-only tests, on a coordinator and two workers (`make test-citus`).
if not os.environ.get(localcitus.WORKERS_ENV):
    collect_ignore.append("citus")
