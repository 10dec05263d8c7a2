"""What the configuration services share: saving a record from validated data with its
audit entry (refusals are the project's one peerpath.refusal.Refused, with field messages)."""

from __future__ import annotations

from tenants.audit.service import record


def store(session, obj, data: dict, action: str, record_type: str):
    """Copy validated ``data`` onto ``obj`` (new or existing), flush, and audit it."""
    for name, value in data.items():
        setattr(obj, name, value)
    session.add(obj)
    session.flush()
    record(action, record_type, obj.id, session=session)
    return obj
