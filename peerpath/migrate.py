"""Alembic plumbing shared by the two environments, onboarding and the fleet upgrade.

`migrations/platform` migrates the shared `platform` schema. `migrations/tenant` runs once
per trust schema, with its version table inside that schema, so each trust's version is
its own and a stale trust can be found and upgraded alone.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from peerpath.config import sqlalchemy_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
VERSION_TABLE = "alembic_version"


_script_locations = {"platform": MIGRATIONS / "platform", "tenant": MIGRATIONS / "tenant"}


def use_script_location(environment: str, path: Path) -> None:
    """Point an environment at another folder of revisions (tests and benchmarks add one)."""
    _script_locations[environment] = Path(path)
    script_directory.cache_clear()
    offline_upgrade_sql.cache_clear()


def alembic_config(environment: str, database_url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(_script_locations[environment]))
    if database_url:
        cfg.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    return cfg


@lru_cache(maxsize=2)
def script_directory(environment: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(environment))


def tenant_head() -> str:
    return script_directory("tenant").get_current_head()


def upgrade_platform(database_url: str) -> None:
    command.upgrade(alembic_config("platform", database_url), "head")


def set_search_path(connection: Connection, schema: str) -> None:
    connection.execute(text("SELECT set_config('search_path', :s, true)"),
                       {"s": f'"{schema}"'})


def configure_tenant(context, connection: Connection, schema: str, **kwargs) -> None:
    """Point Alembic at one trust schema: version table inside it, unqualified DDL into it."""
    context.configure(
        connection=connection,
        version_table_schema=schema,
        version_table=VERSION_TABLE,
        transaction_per_migration=False,
        **kwargs,
    )


def upgrade_tenant_schema(connection: Connection, schema: str, destination: str = "head") -> None:
    """Run the tenant migrations for one schema on an open connection, in its transaction."""
    script = script_directory("tenant")

    def upgrade(revision, _context):
        return script._upgrade_revs(destination, revision)

    with EnvironmentContext(alembic_config("tenant"), script, fn=upgrade,
                            destination_rev=destination) as env:
        set_search_path(connection, schema)
        configure_tenant(env, connection, schema)
        env.run_migrations()


def make_append_only(op, table: str) -> None:
    """For tenant migrations that create an audit-style table (see onboarding too).

    Written as SQL that finds the trust role itself, so the migration also renders in
    Alembic's offline mode, which the fleet upgrade uses (peerpath.fleet).
    """
    op.execute(
        "DO $$ BEGIN EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %I', "
        f"'{table}', current_schema() || '_rw'); END $$")


@lru_cache(maxsize=64)
def offline_upgrade_sql(from_revision: str, to_revision: str) -> str | None:
    """The SQL that takes any trust schema from one revision to another, rendered once.

    Tenant migrations use unqualified names, so the same script serves every schema at
    that revision when run under its search_path. None when a migration cannot render
    offline (it reads the database); the caller then migrates that schema online.
    """
    script = script_directory("tenant")
    buffer = io.StringIO()
    cfg = alembic_config("tenant")

    def upgrade(revision, _context):
        return script._upgrade_revs(to_revision, revision)

    try:
        with EnvironmentContext(cfg, script, fn=upgrade, as_sql=True,
                                starting_rev=from_revision, destination_rev=to_revision) as env:
            env.configure(dialect_name="postgresql", output_buffer=buffer,
                          transactional_ddl=False, transaction_per_migration=False,
                          literal_binds=True)
            env.run_migrations()
    except Exception:  # a migration that needs a live connection
        return None
    return buffer.getvalue()
