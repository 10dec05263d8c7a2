"""Alembic plumbing shared by the two environments, onboarding and the fleet upgrade.

`migrations/platform` migrates the shared `platform` schema. `migrations/tenant` runs once
per trust schema, with its version table inside that schema, so each trust's version is
its own and a stale trust can be found and upgraded alone.
"""

from __future__ import annotations

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


def current_trust_role(connection: Connection) -> str:
    """The trust role of the schema a tenant migration is running in."""
    schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    return schema + "_rw"


def make_append_only(connection: Connection, table: str) -> None:
    """For tenant migrations that create an audit-style table (see onboarding too)."""
    role = current_trust_role(connection)
    connection.exec_driver_sql(
        f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "{role}"')
