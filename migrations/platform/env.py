"""Alembic environment of the shared `platform` schema (run by `peerpath db upgrade`)."""

import os

from alembic import context
from sqlalchemy import create_engine, pool, text

from peerpath.config import sqlalchemy_url
from peerpath.models import PLATFORM_SCHEMA, PlatformBase
from peerpath.pooling import connect_args  # no prepared statements behind PgBouncer

url = context.config.get_main_option("sqlalchemy.url") or sqlalchemy_url(os.environ["DATABASE_URL"])
engine = create_engine(url, poolclass=pool.NullPool,
                       connect_args=connect_args())
with engine.begin() as connection:
    # On Citus the platform schema stays a plain schema on the coordinator, whatever
    # citus.enable_schema_based_sharding says (only trust schemas are distributed).
    connection.execute(text("SELECT set_config('citus.enable_schema_based_sharding', 'off', true) "
                            "FROM pg_extension WHERE extname = 'citus'"))
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{PLATFORM_SCHEMA}"'))
    context.configure(
        connection=connection,
        target_metadata=PlatformBase.metadata,
        version_table_schema=PLATFORM_SCHEMA,
        include_schemas=False,
    )
    context.run_migrations()
engine.dispose()
