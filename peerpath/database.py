"""Owner-side database work: the app login role, the platform schema, owner engines.

The owner (DATABASE_URL) runs migrations and onboarding. The web app and workers log in
as APP_ROLE, which is not a superuser and does not inherit its trust roles' privileges.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from psycopg import sql
from sqlalchemy import Engine, create_engine, pool, text

from peerpath.config import APP_ROLE, sqlalchemy_url
from peerpath.migrate import upgrade_platform
from peerpath.pooling import connect_args


def owner_engine(database_url: str, pool_size: int = 1) -> Engine:
    url, args = sqlalchemy_url(database_url), connect_args()
    if pool_size <= 1:
        return create_engine(url, poolclass=pool.NullPool, connect_args=args)
    return create_engine(url, pool_size=pool_size, max_overflow=0, connect_args=args)


def ensure_app_role(engine: Engine, app_database_url: str, statement_timeout_ms: int,
                    idle_timeout_ms: int) -> None:
    """Create or refresh the app login role to match APP_DATABASE_URL."""
    password = unquote(urlsplit(app_database_url).password or "")
    role = sql.Identifier(APP_ROLE)
    with engine.begin() as conn:
        raw = conn.connection.driver_connection
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": APP_ROLE}).scalar()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        raw.execute(sql.SQL("{} ROLE {} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE "
                            "PASSWORD {}").format(verb, role, sql.Literal(password)))
        settings = {
            "statement_timeout": f"{statement_timeout_ms}ms",
            "idle_in_transaction_session_timeout": f"{idle_timeout_ms}ms",
            # Unqualified names resolve nowhere until a tenant transaction sets its schema.
            "search_path": "pg_catalog",
        }
        for name, value in settings.items():
            raw.execute(sql.SQL("ALTER ROLE {} SET {} = {}").format(
                role, sql.Identifier(name), sql.Literal(value)))
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        raw.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), role))
        raw.execute(sql.SQL("REVOKE ALL ON SCHEMA public FROM PUBLIC"))


def upgrade_database(database_url: str, app_database_url: str, statement_timeout_ms: int,
                     idle_timeout_ms: int) -> None:
    engine = owner_engine(database_url)
    try:
        ensure_app_role(engine, app_database_url, statement_timeout_ms, idle_timeout_ms)
    finally:
        engine.dispose()
    upgrade_platform(database_url)
