"""Counting what a request sends to PostgreSQL, with SQLAlchemy's engine events."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from peerpath.extensions import db

# Each counted event is one round trip: a statement, or the BEGIN / COMMIT / ROLLBACK that
# SQLAlchemy asks the driver for (on an autocommit connection those send nothing).
_EVENTS = ("before_cursor_execute", "begin", "commit", "rollback")
TRANSACTION_VERBS = ("BEGIN", "COMMIT", "ROLLBACK")


def statements_in(sent: list[str]) -> list[str]:
    """The SQL statements of what count_statements collected, without the transaction verbs."""
    return [s for s in sent if s not in TRANSACTION_VERBS]


@contextmanager
def count_statements(app):
    """Yields a list that collects every statement (and transaction verb) the app's engine
    sends while the block runs."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(verb):
        def record(*args, **kwargs):
            autocommit = args[0].get_execution_options().get("isolation_level") == "AUTOCOMMIT"
            if verb != "before_cursor_execute" and autocommit:
                return
            sent.append(args[2] if verb == "before_cursor_execute" else verb.upper())
        return record

    listeners = [(name, listener(name)) for name in _EVENTS]
    for name, fn in listeners:
        event.listen(engine, name, fn)
    try:
        yield sent
    finally:
        for name, fn in listeners:
            event.remove(engine, name, fn)
