"""Behind PgBouncer in transaction pooling mode (`make test-pgbouncer`), psycopg must not
prepare statements: a statement prepared in one transaction is gone, or already there under
the same name, in the next, which lands on another server connection."""

# Collected only behind PgBouncer (`make test-pgbouncer`): tests/conftest.py leaves this
# folder out otherwise, so a normal run neither runs nor skips it.


from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from peerpath.config import sqlalchemy_url
from peerpath.pooling import connect_args

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


def test_the_app_engine_runs_any_number_of_transactions_behind_pgbouncer(app, database_url):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["prepare_threshold"] is None
    run_many_short_transactions(app.config["APP_DATABASE_URL"], connect_args())


def test_without_turning_preparing_off_pgbouncer_breaks(app, database_url):
    """The failure that the setting prevents (it would pass with a session pooler)."""
    with pytest.raises(Exception, match="prepared statement"):
        run_many_short_transactions(app.config["APP_DATABASE_URL"], {})


def test_pages_keep_working_over_many_requests_behind_pgbouncer(client, make_trust):
    tenant = make_trust()
    for _ in range(ROUNDS):
        assert client.get(f"/trusts/{tenant.slug}/").status_code == 200
        assert client.get("/").status_code == 200
