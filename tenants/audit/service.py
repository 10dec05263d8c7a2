"""The trust's audit trail: who did what to which record, when and from where.

Entries carry ids and action names only, never health data or answers. The trust role
may insert and read them, never change them (see AuditEvent).
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

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
