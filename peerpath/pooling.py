"""Connection-pool settings of the app's engine: cheap liveness checks, and what is safe
behind a transaction pooler (PgBouncer in `pool_mode = transaction`).

`pool_pre_ping` costs a round trip on every checkout, which is one more round trip than a
public page's whole lookup. A connection given back a moment ago is almost always alive, so
only one that sat idle for longer than IDLE_PING_AFTER_S is pinged; if PostgreSQL went away
in between, the first statement fails, SQLAlchemy recognises the disconnect and throws the
whole pool away, so one request sees the outage instead of every later one.

psycopg prepares a statement after it has run 5 times on a connection. Behind a transaction
pooler the next transaction may land on another server connection, where that prepared
statement does not exist ("prepared statement "_pg3_0" does not exist" / "already
exists"), so `DATABASE_POOL_MODE=transaction` turns preparing off.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping

from sqlalchemy import event, exc
from sqlalchemy.pool import Pool

IDLE_PING_AFTER_S = 10.0
POOL_MODES = ("session", "transaction")
_RETURNED_AT = "peerpath.returned_at"


class InvalidPoolMode(ValueError):
    pass


def pool_mode(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    mode = environ.get("DATABASE_POOL_MODE", "session") or "session"
    if mode not in POOL_MODES:
        raise InvalidPoolMode(f"DATABASE_POOL_MODE must be one of {', '.join(POOL_MODES)}, "
                              f"not {mode!r}")
    return mode


def connect_args(environ: Mapping[str, str] | None = None) -> dict:
    """psycopg connection arguments for any engine (app, owner, migrations)."""
    return {"prepare_threshold": None} if pool_mode(environ) == "transaction" else {}


def engine_options(base: Mapping, environ: Mapping[str, str]) -> dict:
    """The engine options for the app role, given the environment's DATABASE_POOL_MODE."""
    options = {**base, "pool_pre_ping": False}
    extra = connect_args(environ)
    if extra:
        options["connect_args"] = {**(options.get("connect_args") or {}), **extra}
    return options


def _note_return(dbapi_connection, connection_record) -> None:
    connection_record.info[_RETURNED_AT] = time.monotonic()


def _ping_if_idle(dbapi_connection, connection_record, connection_proxy) -> None:
    returned_at = connection_record.info.get(_RETURNED_AT)
    if returned_at is None or time.monotonic() - returned_at < IDLE_PING_AFTER_S:
        return
    try:
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:
        # The pool retries the checkout with a fresh connection.
        raise exc.DisconnectionError() from error


def install_idle_ping() -> None:
    """Ping a pooled connection on checkout only if it sat idle (idempotent)."""
    if not event.contains(Pool, "checkin", _note_return):
        event.listen(Pool, "checkin", _note_return)
        event.listen(Pool, "checkout", _ping_if_idle)
