"""Engine options: no ping on every checkout, and no prepared statements behind a
transaction pooler; the host lookup can use the GIN index on hosts."""

from __future__ import annotations

import time

import pytest

from peerpath import pooling
from peerpath.extensions import db
from peerpath.tenancy import find_tenant_by_host
from tests.perf.statements import count_statements


def test_pre_ping_is_off_and_statements_are_prepared_in_session_mode():
    options = pooling.engine_options({"pool_pre_ping": True, "pool_size": 5}, {})
    assert options["pool_pre_ping"] is False
    assert "prepare_threshold" not in options.get("connect_args", {})


def test_transaction_pool_mode_turns_preparing_off():
    options = pooling.engine_options({"pool_size": 5},
                                     {"DATABASE_POOL_MODE": "transaction"})
    assert options["connect_args"]["prepare_threshold"] is None


def test_an_unknown_pool_mode_is_refused():
    with pytest.raises(pooling.InvalidPoolMode):
        pooling.engine_options({}, {"DATABASE_POOL_MODE": "statement"})


def test_a_connection_that_died_while_idle_is_replaced_on_checkout(app, owner_conn,
                                                                  monkeypatch):
    monkeypatch.setattr(pooling, "IDLE_PING_AFTER_S", 0.0)
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
            # Every idle connection of the app role goes, as when PostgreSQL restarts.
            owner_conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE usename = 'peerpath_app' AND state = 'idle'")
            time.sleep(0.2)
            with db.engine.connect() as conn:  # the ping finds it dead: a fresh connection
                assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
        finally:
            db.engine.dispose()  # no dead connection left for the next test


def test_the_host_lookup_can_use_the_hosts_index(app, make_trust, owner_conn):
    tenant = make_trust(hosts=["indexed.peerpath.test"])
    with count_statements(app) as sent, app.app_context():
        assert find_tenant_by_host("Indexed.peerpath.test:443").slug == tenant.slug
    (lookup,) = sent
    assert "@>" in lookup
    owner_conn.execute("SET enable_seqscan = off")
    plan = "\n".join(r[0] for r in owner_conn.execute(
        "EXPLAIN SELECT id FROM platform.trusts WHERE hosts @> ARRAY['indexed.peerpath.test']"
        "::varchar(253)[]"))
    assert "ix_trusts_hosts" in plan
