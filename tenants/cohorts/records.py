"""What the configuration services share: a refusal with field messages, and saving a
record from validated data with its audit entry."""

from __future__ import annotations

from tenants.audit.service import record


class Refused(ValueError):
    """A service refused a change; ``problems`` maps a field name to a message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(str(p) for p in problems.values()))
        self.problems = problems


def store(session, obj, data: dict, action: str, record_type: str):
    """Copy validated ``data`` onto ``obj`` (new or existing), flush, and audit it."""
    for name, value in data.items():
        setattr(obj, name, value)
    session.add(obj)
    session.flush()
    record(action, record_type, obj.id, session=session)
    return obj
