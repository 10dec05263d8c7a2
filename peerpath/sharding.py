"""Citus schema-based sharding: what onboarding and offboarding do differently on Citus.

Nothing changes on plain PostgreSQL: every function here first asks whether the database has
the `citus` extension (`installed`), and the app's own queries are the same on both.

On Citus (13.2, `citus.enable_schema_based_sharding`), each trust schema is a distributed
schema: its tables are single-shard tables of one colocation group, placed on a worker, and
every tenant transaction is routed there. Citus runs a statement on a worker over a
connection it opens as the *current* role, which inside a tenant transaction is the trust
role (`set_config('role', ...)`, tenancy invariant 2). A NOLOGIN role cannot open it, so:

- the trust role is created LOGIN, with a random password nobody is told (Citus propagates
  the role, its password and its grants to every worker in the same transaction), the
  password is recorded in `pg_dist_authinfo` (readable by superusers only), which Citus uses
  for its own connections as that role, and then the role is made NOLOGIN again on the
  coordinator alone (`citus.enable_alter_role_propagation` off for that one statement), so
  nobody can sign in as a trust role where the app connects; and
- the schema is created with `citus.enable_schema_based_sharding` on for the transaction,
  whatever the server's setting, so onboarding never leaves a trust on the coordinator;
- the tenant DDL runs one statement at a time (Citus forwards some of it, such as a serial's
  sequence, to the workers as the statement's text, which must then be a single statement),
  with `citus.enable_unsafe_triggers` on for the transaction (see `shard_new_schemas`).

All of it is transactional (Citus commits the workers' part with two-phase commit), so a
failed onboarding still leaves nothing behind. docs/scaling.md has the rest.
"""

from __future__ import annotations

import secrets

from psycopg import sql


def installed(raw) -> bool:
    """Whether the connected database is a Citus database (a psycopg connection)."""
    return raw.execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'"
                       ).fetchone() is not None


def create_trust_role(raw, role: str) -> None:
    """CREATE ROLE for a trust on Citus: able to log in to the workers only (see above)."""
    r, password = sql.Identifier(role), secrets.token_urlsafe(32)
    raw.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT PASSWORD {}").format(
        r, sql.Literal(password)))
    raw.execute(sql.SQL("INSERT INTO pg_catalog.pg_dist_authinfo (nodeid, rolename, authinfo) "
                        "VALUES (0, {}, {})").format(sql.Literal(role),
                                                     sql.Literal(f"password={password}")))
    raw.execute("SELECT set_config('citus.enable_alter_role_propagation', 'off', true)")
    raw.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(r))
    raw.execute("SELECT set_config('citus.enable_alter_role_propagation', 'on', true)")


def shard_new_schemas(raw) -> None:
    """Make the next CREATE SCHEMA of this transaction a distributed schema, and allow the
    trigger of application_events on its shard: Citus calls triggers on distributed tables
    "unsafe" because one could reach other shards, but this one only checks NEW (the
    erase-only rule, tenants/applications/models.py) and runs on the worker beside its row."""
    raw.execute("SELECT set_config('citus.enable_schema_based_sharding', 'on', true), "
                "set_config('citus.enable_unsafe_triggers', 'on', true)")


def forget_trust_role(raw, role: str) -> None:
    """Before DROP ROLE on Citus: its password for the workers goes too."""
    raw.execute("DELETE FROM pg_catalog.pg_dist_authinfo WHERE rolename = %s", (role,))
