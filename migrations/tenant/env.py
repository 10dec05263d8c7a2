"""Alembic environment of one trust schema.

`peerpath trusts upgrade` drives this through peerpath.migrate without reading this file;
this file serves the plain alembic command, e.g. to autogenerate a new revision against a
scratch schema:  alembic -c migrations/alembic.ini -n tenant -x schema=trust_x revision ...
"""

import os

from alembic import context
from sqlalchemy import create_engine, pool

from peerpath.config import sqlalchemy_url
from peerpath.migrate import configure_tenant, set_search_path
from peerpath.pooling import connect_args  # no prepared statements behind PgBouncer
from tenants import load_models

schema = context.get_x_argument(as_dictionary=True).get("schema")
if not schema:
    raise SystemExit("pass the trust schema: -x schema=trust_<slug>")
engine = create_engine(context.config.get_main_option("sqlalchemy.url") or sqlalchemy_url(os.environ["DATABASE_URL"]), poolclass=pool.NullPool,
                       connect_args=connect_args())
with engine.begin() as connection:
    set_search_path(connection, schema)
    configure_tenant(context, connection, schema, target_metadata=load_models())
    context.run_migrations()
engine.dispose()
