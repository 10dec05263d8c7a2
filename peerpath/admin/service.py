"""Console services shared by the HTML views, the JSON API and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Connection, Select, select

from peerpath import trust_admin
from peerpath.admin import stats
from peerpath.admin.models import platform_session
from peerpath.api import Page, paginate
from peerpath.database import owner_engine
from peerpath.migrate import tenant_head
from peerpath.models import PlatformAuditEntry, Trust
from peerpath.tenancy import UnknownTenant

AUDIT_PAGE_SIZE = 50
STATUS_ACTIONS = {"suspend": "suspended", "resume": "active"}


@dataclass(frozen=True)
class FleetView:
    trusts: list[stats.TrustHealth]
    head: str
    last_run: dict | None
    totals: dict[str, int] | None = None


@contextmanager
def _owner_connection() -> Iterator[Connection]:
    # Fleet figures read every trust's schema: only the owner may (see stats).
    engine = owner_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def fleet_view() -> FleetView:
    with _owner_connection() as conn:
        return FleetView(stats.fleet_health(conn), tenant_head(), stats.last_upgrade_run(conn),
                         stats.fleet_totals(conn))


def fleet_summary() -> dict:
    """The code's schema head and the last `peerpath trusts upgrade` (the API's /fleet)."""
    with _owner_connection() as conn:
        return {"head": tenant_head(), "last_upgrade_run": stats.last_upgrade_run(conn)}


def trust_health_page(query: dict) -> Page:
    """A page of the fleet's trusts (stats.TrustHealth) in registry order (the API's list)."""
    with platform_session() as session:
        page = paginate(session, select(Trust), Trust.id, query)
    slugs = [trust.slug for trust in page.items]
    with _owner_connection() as conn:
        health = {h.slug: h for h in stats.fleet_health(conn, slugs=slugs)}
    return Page([health[slug] for slug in slugs], page.next_cursor)


def find_trust(slug: str) -> Trust:
    with platform_session() as session:
        trust = session.scalars(select(Trust).where(Trust.slug == slug)).one_or_none()
    if trust is None:
        raise UnknownTenant(slug)
    return trust


def change_status(slug: str, action: str, *, actor: str, ip: str | None) -> str:
    """'suspend' or 'resume' a live trust; returns the new status."""
    status = STATUS_ACTIONS[action]
    trust_admin.set_status(slug, status, actor=actor, ip=ip)
    return status


def search_audit(*, actor: str | None = None, action: str | None = None,
                 trust: str | None = None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, before_id: int | None = None,
                 limit: int = AUDIT_PAGE_SIZE) -> list[PlatformAuditEntry]:
    """Newest first; `before_id` pages back through older entries."""
    query = audit_query(actor=actor, action=action, trust=trust, date_from=date_from,
                        date_to=date_to)
    if before_id:
        query = query.where(PlatformAuditEntry.id < before_id)
    with platform_session() as session:
        return list(session.scalars(query.order_by(PlatformAuditEntry.id.desc()).limit(limit)))


def audit_page(query: dict) -> Page:
    """A page of the audit log, newest first (`query`: AuditPageQuery)."""
    filters = {k: v for k, v in query.items() if k not in ("limit", "cursor")}
    with platform_session() as session:
        return paginate(session, audit_query(**filters), PlatformAuditEntry.id, query,
                        descending=True)


def audit_query(*, actor: str | None = None, action: str | None = None,
                trust: str | None = None, date_from: dt.date | None = None,
                date_to: dt.date | None = None) -> Select:
    query = select(PlatformAuditEntry)
    if actor:
        query = query.where(PlatformAuditEntry.actor.icontains(actor, autoescape=True))
    if action:
        query = query.where(PlatformAuditEntry.action.startswith(action, autoescape=True))
    if trust:
        query = query.where(PlatformAuditEntry.target == trust)
    if date_from:
        query = query.where(PlatformAuditEntry.at >= date_from)
    if date_to:
        query = query.where(PlatformAuditEntry.at < date_to + dt.timedelta(days=1))
    return query


def audit_actions() -> list[str]:
    with platform_session() as session:
        return list(session.scalars(select(PlatformAuditEntry.action).distinct()
                                    .order_by(PlatformAuditEntry.action)))


def record(actor: str, action: str, *, target: str | None = None, ip: str | None = None,
           detail: dict | None = None) -> None:
    with platform_session() as session, session.begin():
        trust_admin.record(session, actor=actor, action=action, target=target, ip=ip,
                           detail=detail)
