"""Tenant schemas: built from the models they equal the migrations; fleet upgrades are lean."""

from __future__ import annotations

import shutil
import textwrap

import psycopg
import pytest
from sqlalchemy import text

from peerpath.database import owner_engine
from peerpath.fleet import upgrade_fleet
from peerpath.migrate import MIGRATIONS, tenant_head, upgrade_tenant_schema, use_script_location
from peerpath.onboarding import _create_role_and_schema
from tests.conftest import unique_slug

CATALOG = {
    "columns": """
        SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,
               replace(coalesce(column_default, ''), %(schema)s, 'S')
        FROM information_schema.columns WHERE table_schema = %(schema)s""",
    "indexes": """
        SELECT tablename, indexname, replace(indexdef, %(schema)s, 'S')
        FROM pg_indexes WHERE schemaname = %(schema)s""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype,
               replace(pg_get_constraintdef(k.oid), %(schema)s, 'S')
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s""",
    "grants": """
        SELECT table_name, privilege_type FROM information_schema.role_table_grants
        WHERE table_schema = %(schema)s AND grantee = %(schema)s || '_rw'""",
    "sequences": """
        SELECT sequence_name, data_type, increment FROM information_schema.sequences
        WHERE sequence_schema = %(schema)s""",
}


def catalog(conn, schema: str) -> dict[str, list]:
    return {name: sorted(conn.execute(query, {"schema": schema}).fetchall())
            for name, query in CATALOG.items()}


def test_a_schema_built_from_the_models_equals_one_built_by_every_migration(
        make_trust, database_url, owner_conn):
    built = make_trust()
    replayed_schema = "trust_" + unique_slug("replay").replace("-", "_")
    engine = owner_engine(database_url)
    with engine.begin() as conn:
        _create_role_and_schema(conn.connection.driver_connection, replayed_schema,
                                replayed_schema + "_rw")
        upgrade_tenant_schema(conn, replayed_schema)
    engine.dispose()
    expected, actual = catalog(owner_conn, built.schema), catalog(owner_conn, replayed_schema)
    assert expected["columns"], "the comparison must see the tables"
    for part in CATALOG:
        assert actual[part] == expected[part], f"{part} differ"
    version = owner_conn.execute(
        f'SELECT version_num FROM "{replayed_schema}".alembic_version').fetchone()[0]
    assert version == tenant_head()


NEW_REVISION = '''
"""An additive migration made by the test: a column and an index.

Revision ID: t_test_extra
Revises: {head}
"""

import sqlalchemy as sa
from alembic import op

revision = "t_test_extra"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("coordinators", sa.Column("pronouns", sa.String(40)))
    op.create_index("ix_coordinators_pronouns", "coordinators", ["pronouns"])


def downgrade():
    op.drop_index("ix_coordinators_pronouns")
    op.drop_column("coordinators", "pronouns")
'''


@pytest.fixture
def extra_migration(tmp_path, database_url):
    """Call it to add one new tenant revision (after making the trusts); undone afterwards."""
    head = tenant_head()
    folder = tmp_path / "tenant"
    shutil.copytree(MIGRATIONS / "tenant", folder)
    (folder / "versions" / "9999_test_extra.py").write_text(
        textwrap.dedent(NEW_REVISION).format(head=head))

    def activate() -> str:
        use_script_location("tenant", folder)
        return head

    yield activate
    use_script_location("tenant", MIGRATIONS / "tenant")
    with psycopg.connect(database_url, autocommit=True) as conn:
        for (schema,) in conn.execute("SELECT schema_name FROM platform.trusts "
                                      "WHERE status <> 'offboarded'"):
            conn.execute(f'ALTER TABLE "{schema}".coordinators DROP COLUMN IF EXISTS pronouns')
            conn.execute(f'UPDATE "{schema}".alembic_version SET version_num = %s', (head,))


def _versions(conn) -> dict[str, tuple]:
    rows = conn.execute("SELECT slug, schema_name FROM platform.trusts "
                        "WHERE status <> 'offboarded'").fetchall()
    return {slug: conn.execute(f'SELECT version_num, xmin::text FROM "{schema}".alembic_version'
                               ).fetchone() for slug, schema in rows}


def test_a_new_tenant_migration_reaches_every_trust_and_a_second_run_touches_nothing(
        make_trust, extra_migration, database_url, owner_conn):
    mine = [make_trust() for _ in range(3)]
    extra_migration()
    results = upgrade_fleet(database_url, jobs=2)
    assert {r.slug for r in mine} <= {r.slug for r in results}
    assert all(r.ok and r.after == "t_test_extra" for r in results), results
    for tenant in mine:
        columns = [c for (c,) in owner_conn.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = 'coordinators'", (tenant.schema,))]
        assert "pronouns" in columns
    before = _versions(owner_conn)
    assert upgrade_fleet(database_url, jobs=2) == []
    assert _versions(owner_conn) == before, "a no-op upgrade must write nothing"


def test_a_locked_trust_fails_alone_and_the_command_exits_non_zero(
        make_trust, extra_migration, database_url, cli):
    locked, free = make_trust(), make_trust()
    old_head = extra_migration()
    with psycopg.connect(database_url) as blocker:
        blocker.execute(f'LOCK TABLE "{locked.schema}".coordinators IN ACCESS EXCLUSIVE MODE')
        result = cli("trusts", "upgrade", "--jobs", "2", "--lock-timeout", "300ms")
        blocker.rollback()
    assert result.exit_code == 1, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "FAILED" in lines[locked.slug] and "lock" in lines[locked.slug]
    assert f"ok {old_head} -> t_test_extra" in lines[free.slug]


def test_onboarding_builds_the_schema_inside_one_transaction(app, make_trust, database_url):
    tenant = make_trust()
    engine = owner_engine(database_url)
    with engine.connect() as conn:
        tables = conn.execute(text(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"),
            {"s": tenant.schema}).scalar()
    engine.dispose()
    metadata = app.extensions["tenant_metadata"]
    assert tables == len(metadata.tables) + 1  # every model table plus alembic_version


def test_a_fleet_worker_dies_on_sigterm_whatever_its_parent_caught(database_url):
    """The pool ends its workers with SIGTERM; a worker forked from a process that catches
    SIGTERM (a dev server, a test run) must not inherit that, or the pool waits for ever."""
    import signal

    from peerpath import fleet

    before = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        fleet._start_worker(database_url)
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, before)
        fleet._worker_engine.dispose()
