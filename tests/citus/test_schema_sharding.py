"""On Citus (`make test-citus`): the platform stays on the coordinator, each trust schema is a
distributed schema on a worker, trusts spread over both workers, and a trust can be moved.

Collected only under Citus: tests/conftest.py leaves this folder out otherwise, so a normal
run neither runs nor skips it.
"""

from __future__ import annotations

import os

import pytest

from peerpath import localcitus
from tests.conftest import unique_slug

WORKER_PORTS = {int(p.rsplit(":", 1)[1]) for p in os.environ[localcitus.WORKERS_ENV].split(",")}


def placements(conn, schema: str) -> set[tuple[str, int]]:
    """(table, worker port) of every shard of a trust schema's tables."""
    return set(conn.execute(
        "SELECT s.table_name::text, s.nodeport FROM citus_shards s "
        "JOIN pg_class c ON c.oid = s.table_name JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s", (schema,)).fetchall())


def node_of(conn, schema: str) -> int:
    ports = {port for _table, port in placements(conn, schema)}
    assert len(ports) == 1, f"{schema}'s tables are not all on one node: {ports}"
    return ports.pop()


def test_the_database_has_a_coordinator_and_two_workers(owner_conn):
    nodes = owner_conn.execute(
        "SELECT noderole, groupid = 0, shouldhaveshards, nodeport FROM pg_dist_node "
        "WHERE isactive ORDER BY groupid").fetchall()
    assert [n[1] for n in nodes] == [True, False, False]
    assert nodes[0][2] is False, "the coordinator must hold no trust's shards"
    assert {n[3] for n in nodes[1:]} == WORKER_PORTS


def test_a_trust_schema_is_a_distributed_schema_and_the_platform_is_not(make_trust,
                                                                       owner_conn, app):
    tenant = make_trust()
    schemas = dict(owner_conn.execute(
        "SELECT schema_name::text, colocation_id FROM citus_schemas").fetchall())
    assert tenant.schema in schemas
    assert "platform" not in schemas
    distributed_platform_tables = owner_conn.execute(
        "SELECT count(*) FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'platform'"
    ).fetchone()[0]
    assert distributed_platform_tables == 0
    tables = placements(owner_conn, tenant.schema)
    # every model table and the version table, all in the schema's one colocation group
    assert len(tables) == len(app.extensions["tenant_metadata"].tables) + 1
    assert node_of(owner_conn, tenant.schema) in WORKER_PORTS
    groups = owner_conn.execute(
        "SELECT DISTINCT p.colocationid FROM pg_dist_partition p "
        "JOIN pg_class c ON c.oid = p.logicalrelid JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = %s", (tenant.schema,)).fetchall()
    assert groups == [(schemas[tenant.schema],)]


def test_citus_schemas_shows_trusts_spread_over_both_workers(make_trust, owner_conn):
    # Citus places each new schema's colocation group by turns; other trusts made at the same
    # time by another process may take some turns, so keep making trusts (a few at most).
    mine: dict[str, int] = {}
    while set(mine.values()) != WORKER_PORTS and len(mine) < 8:
        tenant = make_trust()
        mine[tenant.schema] = node_of(owner_conn, tenant.schema)
    assert set(mine.values()) == WORKER_PORTS, mine
    listed = {s for (s,) in owner_conn.execute("SELECT schema_name::text FROM citus_schemas")}
    assert set(mine) <= listed


def test_a_trust_role_logs_in_to_the_workers_but_not_to_the_coordinator(make_trust, owner_conn):
    tenant = make_trust()
    assert owner_conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s",
                              (tenant.role,)).fetchone()[0] is False
    on_workers = owner_conn.execute(
        "SELECT result FROM run_command_on_workers(format("
        "'SELECT rolcanlogin FROM pg_roles WHERE rolname = %%L', %s::text))",
        (tenant.role,)).fetchall()
    assert on_workers == [("t",), ("t",)]
    authinfo = owner_conn.execute(
        "SELECT count(*) FROM pg_dist_authinfo WHERE rolename = %s", (tenant.role,)).fetchone()
    assert authinfo == (1,)


def test_a_failed_onboarding_leaves_nothing_on_the_workers(app, owner_conn):
    from peerpath import trust_admin
    from peerpath.onboarding import OnboardingError

    slug = unique_slug("fail")
    schema = "trust_" + slug.replace("-", "_")

    def failing_step(session, tenant):
        raise RuntimeError("disk full")

    with app.app_context(), pytest.raises(OnboardingError, match="disk full"):
        trust_admin.onboard(slug=slug, display_name="Doomed NHS Trust", actor="test",
                            extra_steps=[failing_step])
    left = owner_conn.execute(
        "SELECT result FROM run_command_on_workers(format("
        "'SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = %%L) + "
        "(SELECT count(*) FROM pg_roles WHERE rolname = %%L)', %s::text, %s::text))",
        (schema, schema + "_rw")).fetchall()
    assert left == [("0",), ("0",)]
    assert owner_conn.execute("SELECT count(*) FROM pg_dist_authinfo WHERE rolename = %s",
                              (schema + "_rw",)).fetchone() == (0,)


def test_a_trust_moves_to_the_other_worker_and_keeps_serving(make_trust, owner_conn, client):
    tenant = make_trust(display_name="Moving NHS Trust")
    assert client.get(f"/trusts/{tenant.slug}/").status_code == 200
    source = node_of(owner_conn, tenant.schema)
    target = (WORKER_PORTS - {source}).pop()
    shard = owner_conn.execute(
        "SELECT min(s.shardid) FROM citus_shards s JOIN pg_class c ON c.oid = s.table_name "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
        (tenant.schema,)).fetchone()[0]
    owner_conn.execute(
        "SELECT citus_move_shard_placement(%s, %s, %s, %s, %s, shard_transfer_mode => "
        "'block_writes')", (shard, localcitus.HOST, source, localcitus.HOST, target))
    assert node_of(owner_conn, tenant.schema) == target, "all its tables move together"
    page = client.get(f"/trusts/{tenant.slug}/")
    assert page.status_code == 200 and "Moving NHS Trust" in page.get_data(as_text=True)


PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")


def test_the_trust_roles_privileges_on_each_shard_equal_those_on_the_coordinator(
        make_trust, owner_conn):
    """Grants, default privileges, the append-only REVOKEs and the erasable column grants
    reach the worker's shards (a shard that granted more would undo the append-only rule)."""
    tenant = make_trust()
    checks = ", ".join(f"has_table_privilege({{role}}, {{table}}, '{p}')" for p in PRIVILEGES)
    tables = [t for (t,) in owner_conn.execute(
        "SELECT format('%%I.%%I', schemaname, tablename) FROM pg_tables WHERE schemaname = %s",
        (tenant.schema,))]
    assert "application_events" in " ".join(tables)
    for table in tables:
        on_coordinator = owner_conn.execute(
            "SELECT " + checks.format(role="%(role)s", table="%(table)s"),
            {"role": tenant.role, "table": table}).fetchone()
        # run_command_on_placements puts the shard's name for %s (format(): %1$s, repeated)
        command = ("SELECT row(" + checks.format(role=f"'{tenant.role}'", table="'%1$s'")
                   + ")::text")
        on_shard = owner_conn.execute(
            "SELECT result FROM run_command_on_placements(%s, %s)", (table, command)).fetchall()
        expected = "(" + ",".join("t" if p else "f" for p in on_coordinator) + ")"
        assert on_shard == [(expected,)], table
    erasable = owner_conn.execute(
        "SELECT result FROM run_command_on_placements(%s, %s)",
        (f'{tenant.schema}.application_events',
         f"SELECT has_column_privilege('{tenant.role}', '%s', 'reason', 'UPDATE')")).fetchall()
    assert erasable == [("t",)], "erasure must still be able to overwrite the reason"
