"""Fleet health: per-trust figures for the console, for every trust in one call.

The figures come from tables other domains own, which may not exist yet in a trust (or in
the code base): platform.trust_figures() (migration p0100_admin) loops over the live trusts
and reads each figure whose table exists, NULL otherwise, without a round trip per trust
and without the planning cost of a thousand-way UNION. It runs on an owner connection,
since the app role reaches a trust schema only through that trust's role, one trust per
transaction. Counts only: never applicant data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Connection, column, func, select, table, text, union_all

from peerpath.admin.models import UpgradeResultRow, UpgradeRun
from peerpath.fleet import schema_versions
from peerpath.migrate import tenant_head
from peerpath.models import Trust

WEEKS = 8  # platform.trust_figures() reads this many weeks (migration p0100_admin)
FLEET_TOTALS = ("cohorts", "applications", "completions", "placements")


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


def fleet_health(conn: Connection, slugs: list[str] | None = None) -> list[TrustHealth]:
    """Every trust (tombstones included, without figures), or those of `slugs`, on an owner
    connection."""
    query = select(Trust.slug, Trust.display_name, Trust.status, Trust.schema_name)
    if slugs is not None:
        query = query.where(Trust.slug.in_(slugs))
    trusts = conn.execute(query.order_by(Trust.display_name)).all()
    versions = {v.slug: v.version for v in schema_versions(conn)}
    figures = {row["slug"]: dict(row) for row in conn.execute(
        text("SELECT * FROM platform.trust_figures()")).mappings()}
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


def _trust_totals(schema: str):
    """One trust's counts as a one-row SELECT (schema names quoted by SQLAlchemy)."""
    cohorts = table("cohorts", schema=schema)
    applications = table("applications", column("submitted_at"), schema=schema)
    events = table("application_events", column("application_id"), column("to_stage"),
                   schema=schema)
    placed = table("post_candidacies", column("application_id"), column("status"),
                   schema=schema)
    return select(
        select(func.count()).select_from(cohorts).scalar_subquery().label("cohorts"),
        select(func.count()).select_from(applications)
        .where(applications.c.submitted_at.is_not(None)).scalar_subquery()
        .label("applications"),
        select(func.count(events.c.application_id.distinct()))
        .where(events.c.to_stage == "completed").scalar_subquery().label("completions"),
        select(func.count(placed.c.application_id.distinct()))
        .where(placed.c.status == "placed").scalar_subquery().label("placements"))


def fleet_totals(conn: Connection) -> dict[str, int]:
    """Fleet-wide counts for the console (trusts, cohorts, applications, completions,
    placements), on an owner connection, in two statements however many trusts: the live
    trusts and whether their schema has the posts tables yet, then one sum over them. A
    trust whose schema is behind counts as a trust but adds no figures until upgraded.
    Counts only, never a person."""
    rows = conn.execute(text(
        "SELECT t.schema_name, to_regclass(quote_ident(t.schema_name) || '.post_candidacies') "
        "IS NOT NULL FROM platform.trusts t WHERE t.status <> 'offboarded'")).all()
    totals = {"trusts": len(rows), **dict.fromkeys(FLEET_TOTALS, 0)}
    parts = [_trust_totals(schema) for schema, ready in rows if ready]
    if parts:
        per_trust = union_all(*parts).subquery()
        found = conn.execute(select(*(func.coalesce(func.sum(per_trust.c[name]), 0)
                                      for name in FLEET_TOTALS))).one()
        totals.update(zip(FLEET_TOTALS, map(int, found), strict=True))
    return totals
