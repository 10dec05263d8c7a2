"""The local PgBouncer that `make test-pgbouncer` starts."""

from __future__ import annotations

from pathlib import Path

from peerpath import localpgbouncer


def test_the_local_pgbouncer_pools_transactions_and_looks_passwords_up():
    config = localpgbouncer._ini({"port": 5432}, 6432, Path("/srv/bouncer"))
    assert "pool_mode = transaction" in config
    assert "auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow" in config
    assert "* = host=127.0.0.1 port=5432 auth_user=postgres" in config
