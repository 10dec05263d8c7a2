"""The public summary of every trust, in the platform schema, for the list of trusts on `/`.

`/` must not visit every trust's schema (at 1,000 trusts that was a transaction and six
statements per trust, 3.9 s a page). Instead each trust's public calendar (cohort windows
still to come, the next drop-ins, the places they are in) is copied into
platform.trust_summaries in the same transaction as the change that alters it, and `/` reads
that one table: two statements, searchable by name or place and paged.

The domains say what the summary holds (the core imports no domain): the app factory calls
`register(app, watched=..., compute=...)`. When a tenant session flushes an instance of a
watched class, its commit first recomputes the summary inside the trust's role, then leaves
the role (`set_config('role', 'none', true)`, transaction-local) to upsert the row as the
app login role, which may write this table and nothing else of the platform's calendar, and
takes the trust role back. No tenant table refers to the platform (tenancy invariant 6):
the summary refers to platform.trusts only.

Dates move on without any change: a window that closes, a drop-in that passes. The reader
filters by today, so the list stays true; `refresh_all` rewrites every summary (after the
migration, and daily) so the stored drop-ins do not run out.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Text,
    cast,
    event,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import DATEMULTIRANGE, JSONB
from sqlalchemy.orm import Mapped, Session, mapped_column

from peerpath.extensions import db
from peerpath.models import PlatformBase, Trust, utcnow_column
from peerpath.tenancy import tenant_context, tenant_statement

EXTENSION_KEY = "trust_summary"
_STALE = "peerpath.trust_summary_stale"
PER_PAGE = 20
DROP_INS_SHOWN = 3


class TrustSummary(PlatformBase):
    __tablename__ = "trust_summaries"

    trust_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("trusts.id",
                                                                 ondelete="CASCADE"),
                                          primary_key=True)
    windows = mapped_column(DATEMULTIRANGE, server_default="{}", nullable=False)
    cohorts: Mapped[list] = mapped_column(JSONB, server_default="[]")
    drop_ins: Mapped[list] = mapped_column(JSONB, server_default="[]")
    places: Mapped[str] = mapped_column(Text, server_default="")
    refreshed_at: Mapped[dt.datetime] = utcnow_column()


@dataclass(frozen=True)
class Provider:
    """What makes a summary: the tenant classes whose changes alter it, and a function
    (session, today) -> {"cohorts": [{name, opens_on, closes_on}],
    "drop_ins": [{starts_at, place}], "places": [str]} run inside the trust."""

    watched: tuple[type, ...]
    compute: Callable[[Session, dt.date], dict]


def register(app, *, watched: tuple[type, ...], compute) -> None:
    app.extensions[EXTENSION_KEY] = Provider(tuple(watched), compute)


def _provider() -> Provider | None:
    return current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None


def _touches(objects, watched) -> bool:
    return any(isinstance(obj, watched) for obj in objects)


@event.listens_for(Session, "after_flush")
def _note_change(session: Session, flush_context) -> None:
    provider = _provider()
    if provider and session.info.get("tenant") is not None and _touches(
            [*session.new, *session.dirty, *session.deleted], provider.watched):
        session.info[_STALE] = True


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    tenant, provider = session.info.get("tenant"), _provider()
    if tenant is None or provider is None:
        return
    pending = [*session.new, *session.dirty, *session.deleted]
    if not session.info.get(_STALE) and not _touches(pending, provider.watched):
        return
    session.flush()
    session.info.pop(_STALE, None)
    write_summary(session, tenant, provider)


@event.listens_for(Session, "after_rollback")
def _forget_change(session: Session) -> None:
    session.info.pop(_STALE, None)


_UPSERT = text("""
INSERT INTO platform.trust_summaries AS s (trust_id, windows, cohorts, drop_ins, places,
                                           refreshed_at)
SELECT :trust_id,
       coalesce((SELECT range_agg(daterange((c->>'opens_on')::date, (c->>'closes_on')::date,
                                            '[]'))
                 FROM jsonb_array_elements(CAST(:cohorts AS jsonb)) c), '{}'),
       CAST(:cohorts AS jsonb), CAST(:drop_ins AS jsonb), :places, now()
ON CONFLICT (trust_id) DO UPDATE
SET windows = EXCLUDED.windows, cohorts = EXCLUDED.cohorts, drop_ins = EXCLUDED.drop_ins,
    places = EXCLUDED.places, refreshed_at = EXCLUDED.refreshed_at
""")


def write_summary(session: Session, tenant, provider: Provider | None = None,
                  on: dt.date | None = None) -> None:
    """Recompute `tenant`'s summary in the session's (tenant) transaction and store it."""
    provider = provider or _provider()
    summary = provider.compute(session, on or dt.date.today())
    session.execute(text("SELECT set_config('role', 'none', true)"))
    try:
        session.execute(_UPSERT, {
            "trust_id": tenant.id,
            "cohorts": json.dumps(summary["cohorts"], default=str),
            "drop_ins": json.dumps(summary["drop_ins"], default=str),
            "places": " | ".join(dict.fromkeys(p for p in summary["places"] if p)),
        })
    finally:
        session.execute(text(tenant_statement(tenant.schema, tenant.role)))


def refresh_all(app) -> int:
    """Rewrite every active trust's summary, one trust at a time; returns how many."""
    with app.app_context(), db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as conn:
        slugs = list(conn.execute(text(
            "SELECT slug FROM platform.trusts WHERE status = 'active' ORDER BY slug")).scalars())
    for slug in slugs:
        refresh_one(app, slug)
    return len(slugs)


def refresh_one(app, slug: str) -> None:
    """Rewrite one active trust's summary from its schema (the daily job's unit)."""
    with tenant_context(slug, app) as tenant:
        write_summary(db.session, tenant)
        db.session.commit()


# Reading: the list of trusts on `/`.

@dataclass(frozen=True)
class ListedTrust:
    slug: str
    display_name: str


@dataclass
class TrustList:
    entries: list[dict]
    total: int  # trusts that match the search
    open_now: int  # of those, trusts taking applications today
    page: int
    pages: int
    query: str = ""
    everyone: int = field(default=0)  # active trusts, whatever the search


def _matching(columns, pattern: str | None):
    trusts, summaries = Trust.__table__, TrustSummary.__table__
    query = (select(*columns)
             .select_from(trusts.outerjoin(summaries, summaries.c.trust_id == trusts.c.id))
             .where(trusts.c.status == "active"))
    if pattern is not None:
        query = query.where(or_(func.lower(trusts.c.display_name).like(pattern),
                                func.lower(summaries.c.places).like(pattern)))
    return query


def _counts_query(pattern: str | None, on: dt.date):
    trusts, summaries = Trust.__table__, TrustSummary.__table__
    everyone = select(func.count()).where(trusts.c.status == "active").scalar_subquery()
    open_now = func.count().filter(summaries.c.windows.op("@>")(cast(literal(on), Date)))
    return _matching([func.count().label("total"), open_now.label("open_now"),
                      everyone.label("everyone")], pattern)


def _page_query(pattern: str | None, limit: int, offset: int):
    trusts, summaries = Trust.__table__, TrustSummary.__table__
    return (_matching([trusts.c.slug, trusts.c.display_name, summaries.c.cohorts,
                       summaries.c.drop_ins], pattern)
            .order_by(trusts.c.display_name, trusts.c.slug).limit(limit).offset(offset))


def _like_pattern(query: str) -> str | None:
    query = " ".join(query.split()).lower()
    if not query:
        return None
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _entry(row, on: dt.date, now: dt.datetime) -> dict:
    windows = [{"name": c["name"], "opens_on": dt.date.fromisoformat(c["opens_on"]),
                "closes_on": dt.date.fromisoformat(c["closes_on"])} for c in row.cohorts or []]
    open_now = sorted((w for w in windows if w["opens_on"] <= on <= w["closes_on"]),
                      key=lambda w: w["closes_on"])
    upcoming = [w["opens_on"] for w in windows if w["opens_on"] > on]
    drop_ins = [{"starts_at": dt.datetime.fromisoformat(d["starts_at"]), "place": d["place"]}
                for d in row.drop_ins or []]
    return {"tenant": ListedTrust(row.slug, row.display_name),
            "cohorts": [{"name": w["name"], "closes_on": w["closes_on"]} for w in open_now],
            "opens_on": None if open_now or not upcoming else min(upcoming),
            "drop_ins": [d for d in drop_ins if d["starts_at"] >= now][:DROP_INS_SHOWN]}


def list_trusts(query: str = "", page: int = 1, per_page: int = PER_PAGE,
                on: dt.date | None = None) -> TrustList:
    """One page of active trusts matching `query` (name or place), in two statements."""
    on = on or dt.date.today()
    now = dt.datetime.now()
    pattern = _like_pattern(query)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        counts = conn.execute(_counts_query(pattern, on)).one()
        pages = max(1, math.ceil(counts.total / per_page))
        page = min(max(1, page), pages)
        rows = conn.execute(_page_query(pattern, per_page, (page - 1) * per_page)).all()
    return TrustList([_entry(row, on, now) for row in rows], counts.total, counts.open_now,
                     page, pages, query.strip(), counts.everyone)
