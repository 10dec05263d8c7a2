"""Fleet health: per-trust figures for the console, in one query over every trust schema.

The figures come from tables other domains own, which may not exist yet in a trust (or in
the code base): a catalog query first finds which of the needed columns exist in which
schema, then one UNION ALL statement reads every trust's figures, with NULL where a table is
missing. It runs on an owner connection, since the app role reaches a trust schema only
through that trust's role, one trust per transaction. Counts only: never applicant data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from psycopg import sql
from sqlalchemy import Connection, select, text

from peerpath.admin.models import UpgradeResultRow, UpgradeRun
from peerpath.fleet import schema_versions
from peerpath.migrate import tenant_head
from peerpath.models import Trust

WEEKS = 8

# figure -> (type, {table: [columns needed]}, SQL over the table named {t})
FIGURES: dict[str, tuple[str, dict[str, list[str]], str]] = {
    "open_cohorts": ("bigint", {"cohorts": ["eoi_opens_on", "eoi_closes_on"]},
                     "SELECT count(*) FROM {t} WHERE current_date BETWEEN eoi_opens_on "
                     "AND eoi_closes_on"),
    "applications_this_month": ("bigint", {"applications": ["submitted_at"]},
                                "SELECT count(*) FROM {t} WHERE submitted_at >= "
                                "date_trunc('month', now())"),
    "notifications_pending": ("bigint", {"notification_outbox": ["status"]},
                              "SELECT count(*) FROM {t} WHERE status IN "
                              "('created', 'sending', 'temporary_failure')"),
    "notifications_failed": ("bigint", {"notification_outbox": ["status"]},
                             "SELECT count(*) FROM {t} WHERE status = 'permanent_failure'"),
    "last_sign_in": ("timestamptz", {"coordinators": ["last_sign_in_at"]},
                     "SELECT max(last_sign_in_at) FROM {t}"),
    "weekly": ("json", {"applications": ["submitted_at"]},
               "SELECT coalesce(json_object_agg(week, n), '{{}}') FROM ("
               "SELECT date_trunc('week', submitted_at)::date::text AS week, count(*) AS n "
               "FROM {t} WHERE submitted_at >= date_trunc('week', now()) - interval "
               "'7 weeks' GROUP BY 1) AS per_week"),  # WEEKS - 1
}


@dataclass
class TrustHealth:
    slug: str
    display_name: str
    status: str
    version: str | None = None
    open_cohorts: int | None = None
    applications_this_month: int | None = None
    notifications_pending: int | None = None
    notifications_failed: int | None = None
    last_sign_in: dt.datetime | None = None
    weekly: list[tuple[dt.date, int]] = field(default_factory=list)
    last_upgrade: dict | None = None

    @property
    def up_to_date(self) -> bool:
        return self.version is not None and self.version == tenant_head()


def week_starts(today: dt.date | None = None) -> list[dt.date]:
    today = today or dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def _present_columns(conn: Connection, schemas: list[str]) -> set[tuple[str, str, str]]:
    tables = sorted({t for _type, needs, _q in FIGURES.values() for t in needs})
    rows = conn.execute(text(
        "SELECT n.nspname, c.relname, a.attname FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY(:schemas) AND c.relname = ANY(:tables) AND c.relkind = 'r' "
        "AND a.attnum > 0 AND NOT a.attisdropped"), {"schemas": schemas, "tables": tables})
    return {tuple(r) for r in rows}


def _figures_query(schemas: dict[str, str], present: set) -> str:
    parts = []
    for slug, schema in schemas.items():
        columns = [sql.SQL("{} AS slug").format(sql.Literal(slug))]
        for name, (pg_type, needs, query) in FIGURES.items():
            available = all((schema, t, c) in present for t, cols in needs.items() for c in cols)
            if available:
                (table,) = needs
                inner = sql.SQL(query).format(t=sql.Identifier(schema, table))
                value = sql.SQL("({})::{}").format(inner, sql.SQL(pg_type))
            else:
                value = sql.SQL("NULL::{}").format(sql.SQL(pg_type))
            columns.append(sql.SQL("{} AS {}").format(value, sql.Identifier(name)))
        parts.append(sql.SQL("SELECT ") + sql.SQL(", ").join(columns))
    return sql.SQL(" UNION ALL ").join(parts).as_string()


def last_upgrade_results(conn: Connection) -> dict[str, dict]:
    """Each trust's result in the most recent `peerpath trusts upgrade` that touched it."""
    rows = conn.execute(
        select(UpgradeResultRow.slug, UpgradeResultRow.before, UpgradeResultRow.after,
               UpgradeResultRow.ok, UpgradeResultRow.error, UpgradeRun.finished_at.label("at"))
        .join(UpgradeRun, UpgradeRun.id == UpgradeResultRow.run_id)
        .distinct(UpgradeResultRow.slug)
        .order_by(UpgradeResultRow.slug, UpgradeResultRow.run_id.desc())).mappings()
    return {row["slug"]: dict(row) for row in rows}


def last_upgrade_run(conn: Connection) -> dict | None:
    row = conn.execute(select(UpgradeRun.__table__).order_by(UpgradeRun.id.desc())
                       .limit(1)).mappings().first()
    return dict(row) if row else None


def fleet_health(conn: Connection) -> list[TrustHealth]:
    """Every trust (tombstones included, without figures), on an owner connection."""
    trusts = conn.execute(select(Trust.slug, Trust.display_name, Trust.status,
                                 Trust.schema_name).order_by(Trust.display_name)).all()
    versions = {v.slug: v.version for v in schema_versions(conn)}
    live = {t.slug: t.schema_name for t in trusts if t.status != "offboarded"}
    figures: dict[str, dict] = {}
    if live:
        present = _present_columns(conn, list(live.values()))
        figures = {row["slug"]: dict(row) for row in
                   conn.exec_driver_sql(_figures_query(live, present)).mappings()}
    upgrades = last_upgrade_results(conn)
    weeks = week_starts()
    health = []
    for t in trusts:
        row = figures.get(t.slug, {})
        weekly = row.pop("weekly", None)
        row.pop("slug", None)
        health.append(TrustHealth(
            slug=t.slug, display_name=t.display_name, status=t.status,
            version=versions.get(t.slug), last_upgrade=upgrades.get(t.slug),
            weekly=[(w, int((weekly or {}).get(w.isoformat(), 0))) for w in weeks]
            if weekly is not None else [], **row))
    return health
