"""The trust's audit trail: who did what to which record, when and from where.

Entries carry ids and action names only, never health data or answers. The trust role
may insert and read them, never change them (see AuditEvent).
"""

from __future__ import annotations

import datetime as dt

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from peerpath.extensions import db
from tenants.audit.models import AuditEvent


def current_actor() -> str:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.get_id()
    return "anonymous" if has_request_context() else "system"


def record(action: str, record_type: str | None = None, record_id: object = None, *,
           actor: str | None = None, detail: dict | None = None, session=None) -> AuditEvent:
    """Add an audit entry to the current tenant transaction (committed with the change)."""
    event = AuditEvent(
        actor=actor or current_actor(), action=action, record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        ip=request.remote_addr if has_request_context() else None, detail=detail or {},
    )
    (session or db.session).add(event)
    return event


PAGE_SIZE = 50


def search(session, *, action=None, actor=None, record_type=None, record_id=None,
           date_from: dt.date | None = None, date_to: dt.date | None = None,
           before: int | None = None, limit: int = PAGE_SIZE) -> list[AuditEvent]:
    """Newest first; `action` matches a prefix ("coordinator." finds every sign-in event),
    the others exactly; dates are whole UTC days; `before` is the keyset for the next page."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(AuditEvent.actor == actor)
    if record_type:
        query = query.where(AuditEvent.record_type == record_type)
    if record_id:
        query = query.where(AuditEvent.record_id == record_id)
    if date_from:
        query = query.where(AuditEvent.at >= dt.datetime.combine(date_from, dt.time(), dt.UTC))
    if date_to:
        query = query.where(AuditEvent.at < dt.datetime.combine(
            date_to + dt.timedelta(days=1), dt.time(), dt.UTC))
    if before:
        query = query.where(AuditEvent.id < before)
    return list(session.scalars(query))
