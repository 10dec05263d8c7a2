"""Onboarding: a new trust's registry row, role and schema, in one owner transaction.

The schema is built from the current models and stamped at the tenant head (Alembic's
"create_all, then stamp"), so onboarding costs the same however many migrations exist.
tests/test_migrations.py proves the result equals replaying every migration. All of it,
CREATE ROLE included, is transactional in PostgreSQL: any failure leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from psycopg import sql
from sqlalchemy import Connection, Engine, MetaData, create_mock_engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from peerpath import sharding
from peerpath.config import APP_ROLE
from peerpath.forms import LINE_BREAKS
from peerpath.migrate import VERSION_TABLE, set_search_path, tenant_head
from peerpath.models import Trust
from peerpath.tenancy import Tenant, role_name_for, schema_name_for, validate_slug

HOST_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# A step that writes a new trust's default configuration inside the onboarding
# transaction. Domains provide them; the app factory lists them in order.
SetupStep = Callable[[Session, Tenant], None]


class OnboardingError(Exception):
    """Onboarding refused or failed; the message says why, and nothing was left behind."""


@dataclass(frozen=True)
class NewTrust:
    slug: str
    display_name: str
    hosts: Sequence[str] = ()
    contact_email: str | None = None
    contact_phone: str | None = None
    setup_steps: Sequence[SetupStep] = field(default=())


def validate_new_trust(new: NewTrust) -> list[str]:
    problems = []
    try:
        validate_slug(new.slug)
    except ValueError as exc:
        problems.append(str(exc))
    if not (new.display_name or "").strip() or len(new.display_name) > 200:
        problems.append("the trust's name must be 1 to 200 characters")
    elif LINE_BREAKS.search(new.display_name):
        problems.append("the trust's name must be on one line")
    problems += [f"{h!r} is not a valid host name" for h in new.hosts
                 if not HOST_PATTERN.fullmatch(h or "")]
    return problems


def schema_statements(metadata: MetaData) -> tuple[str, ...]:
    """The DDL statements that build a tenant schema, rendered once per process and reused."""
    key = id(metadata), len(metadata.tables)
    cached = _ddl_cache.get(key)
    if cached is None:
        statements: list[str] = []
        engine = create_mock_engine(
            "postgresql+psycopg://", lambda ddl, *_a, **_k: statements.append(
                str(ddl.compile(dialect=engine.dialect)).strip()))
        metadata.create_all(engine, checkfirst=False)
        cached = _ddl_cache[key] = tuple(statements)
    return cached


def schema_ddl(metadata: MetaData) -> str:
    """The same DDL as one script: one round trip."""
    return ";\n".join(schema_statements(metadata))


_ddl_cache: dict[tuple[int, int], tuple[str, ...]] = {}


def _create_role_and_schema(raw, schema: str, role: str) -> bool:
    """Returns whether the database is Citus'."""
    s, r = sql.Identifier(schema), sql.Identifier(role)
    citus = sharding.installed(raw)
    if citus:  # the schema goes to a worker (peerpath/sharding.py)
        sharding.create_trust_role(raw, role)
        sharding.shard_new_schemas(raw)
    else:
        raw.execute(sql.SQL("CREATE ROLE {} NOLOGIN NOINHERIT").format(r))
    for statement in (
        sql.SQL("GRANT {} TO {}").format(r, sql.Identifier(APP_ROLE)),
        sql.SQL("CREATE SCHEMA {}").format(s),
        sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, DELETE "
                "ON TABLES TO {}").format(s, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES "
                "TO {}").format(s, r),
    ):
        raw.execute(statement)
    return citus


def _stamp(conn: Connection, schema: str) -> None:
    table = sql.Identifier(schema, VERSION_TABLE).as_string()
    conn.exec_driver_sql(
        f"CREATE TABLE {table} (version_num VARCHAR(32) NOT NULL, "
        f"CONSTRAINT {VERSION_TABLE}_pkc PRIMARY KEY (version_num))")
    conn.exec_driver_sql(f"INSERT INTO {table} (version_num) VALUES (%(v)s)",  # noqa: S608 (quoted)
                         {"v": tenant_head()})


def build_tenant_schema(conn: Connection, tenant: Tenant, metadata: MetaData) -> None:
    """Role, schema, tables and version stamp for one trust, on an open owner transaction."""
    raw = conn.connection.driver_connection
    citus = _create_role_and_schema(raw, tenant.schema, tenant.role)
    set_search_path(conn, tenant.schema)
    if citus:  # Citus sends a serial's sequence DDL to the workers as the statement's text
        for statement in schema_statements(metadata):
            conn.exec_driver_sql(statement)
    else:
        conn.exec_driver_sql(schema_ddl(metadata))
    revoke_append_only(raw, metadata, tenant.role)
    _stamp(conn, tenant.schema)


def revoke_append_only(raw, metadata: MetaData, role: str) -> None:
    """Audit-style tables: the trust role may insert and read, never rewrite history, except
    the columns named in `erasable` (free text that erasure must be able to overwrite)."""
    for table in metadata.sorted_tables:
        if table.info.get("append_only"):
            raw.execute(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table.name), sql.Identifier(role)))
        if table.info.get("erasable"):
            raw.execute(sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, table.info["erasable"])),
                sql.Identifier(table.name), sql.Identifier(role)))


def create_trust(engine: Engine, new: NewTrust, metadata: MetaData) -> Tenant:
    """Onboard a trust atomically, or raise OnboardingError having left nothing behind."""
    problems = validate_new_trust(new)
    if problems:
        raise OnboardingError("; ".join(problems))
    schema, role = schema_name_for(new.slug), role_name_for(new.slug)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            if conn.execute(select(Trust.id).where(Trust.slug == new.slug)).first():
                raise OnboardingError(f"a trust with slug {new.slug!r} already exists")
            trust_id = conn.execute(Trust.__table__.insert().values(
                slug=new.slug, display_name=new.display_name.strip(), schema_name=schema,
                role_name=role, hosts=[h.lower() for h in new.hosts],
                contact_email=new.contact_email, contact_phone=new.contact_phone,
            ).returning(Trust.id)).scalar_one()
            tenant = Tenant(id=trust_id, slug=new.slug, display_name=new.display_name.strip(),
                            schema=schema, role=role, status="active", hosts=tuple(new.hosts),
                            contact_email=new.contact_email, contact_phone=new.contact_phone)
            build_tenant_schema(conn, tenant, metadata)
            with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
                for step in new.setup_steps:
                    step(session, tenant)
                # Releases the savepoint into the onboarding transaction; closing the
                # session without it would roll the steps' rows back.
                session.commit()
        return tenant
    except OnboardingError:
        raise
    except IntegrityError as exc:
        raise OnboardingError(f"trust {new.slug!r} conflicts with an existing one: "
                              f"{exc.orig.diag.message_primary if exc.orig else exc}") from exc
    except Exception as exc:
        raise OnboardingError(f"onboarding {new.slug!r} failed and was rolled back: "
                              f"{type(exc).__name__}: {exc}") from exc
