"""Behind PgBouncer in transaction pooling mode (`make test-pgbouncer`), psycopg must not
prepare statements: a statement prepared in one transaction is gone, or already there under
the same name, in the next, which lands on another server connection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from peerpath import localpgbouncer
from peerpath.config import sqlalchemy_url
from peerpath.pooling import connect_args

behind_pgbouncer = pytest.mark.skipif(
    os.environ.get("DATABASE_POOL_MODE") != "transaction",
    reason="needs PgBouncer in transaction mode: make test-pgbouncer")

ROUNDS = 30  # psycopg prepares a statement after its 5th execution on a connection


def run_many_short_transactions(url: str, args: dict, clients: int = 4) -> None:
    """Several pooled clients, each running the same query in many short transactions, so
    PgBouncer hands each transaction whichever server connection is free."""
    engine = create_engine(sqlalchemy_url(url), pool_size=clients, max_overflow=0,
                           connect_args=args)
    try:
        connections = [engine.connect() for _ in range(clients)]
        for round_ in range(ROUNDS):
            for number, conn in enumerate(connections):
                assert conn.execute(text("SELECT CAST(:n AS int) + 1"),
                                    {"n": round_ + number}).scalar_one() == round_ + number + 1
                conn.commit()
        for conn in connections:
            conn.close()
    finally:
        engine.dispose()


@behind_pgbouncer
def test_the_app_engine_runs_any_number_of_transactions_behind_pgbouncer(app, database_url):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["prepare_threshold"] is None
    run_many_short_transactions(app.config["APP_DATABASE_URL"], connect_args())


@behind_pgbouncer
def test_without_turning_preparing_off_pgbouncer_breaks(app, database_url):
    """The failure that the setting prevents (it would pass with a session pooler)."""
    with pytest.raises(Exception, match="prepared statement"):
        run_many_short_transactions(app.config["APP_DATABASE_URL"], {})


@behind_pgbouncer
def test_pages_keep_working_over_many_requests_behind_pgbouncer(client, make_trust):
    tenant = make_trust()
    for _ in range(ROUNDS):
        assert client.get(f"/trusts/{tenant.slug}/").status_code == 200
        assert client.get("/").status_code == 200


def test_the_local_pgbouncer_pools_transactions_and_looks_passwords_up():
    config = localpgbouncer._ini({"port": 5432}, 6432, Path("/srv/bouncer"))
    assert "pool_mode = transaction" in config
    assert "auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow" in config
    assert "* = host=127.0.0.1 port=5432 auth_user=postgres" in config
