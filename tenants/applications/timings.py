"""The trust's promises on time, one row a trust: respond to every EOI within N working
days (tenants.applications.responses), and give applicants M working days to answer an
interview invitation or a place offer (tenants.applications.deadlines).

A trust that never changed them has the defaults (no row needed). Changes are audited,
with the old and new numbers only.
"""

from __future__ import annotations

from marshmallow import Schema
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert

from tenants.applications.models import DeadlineSettings
from tenants.audit.service import record
from tenants.cohorts.schemas import whole_number

EOI_RESPONSE_DAYS = (1, 30)  # bounds, as the table's check constraints hold them
REPLY_DAYS = (2, 20)
DEFAULTS = {"eoi_response_working_days": 10, "reply_working_days": 5}


class DeadlineSettingsSchema(Schema):
    """The settings page's form and the API's body alike."""

    eoi_response_working_days = whole_number("Working days to respond to an expression of "
                                             "interest", *EOI_RESPONSE_DAYS)
    reply_working_days = whole_number("Working days to reply to an invitation or an offer",
                                      *REPLY_DAYS)


def current(session) -> DeadlineSettings:
    """The trust's settings (an unsaved row with the defaults if it never changed them)."""
    return session.get(DeadlineSettings, 1) or DeadlineSettings(id=1, **DEFAULTS)


def eoi_response_days(session) -> int:
    return current(session).eoi_response_working_days


def reply_days(session) -> int:
    return current(session).reply_working_days


def save(session, values: dict, *, actor: str) -> DeadlineSettings:
    """Write the settings (one row, so two saves at once cannot make two) and audit what
    changed. Callers commit."""
    before = current(session)
    chosen = {key: int(values[key]) for key in DEFAULTS}
    changed = {key: {"from": getattr(before, key), "to": value}
               for key, value in chosen.items() if getattr(before, key) != value}
    session.execute(insert(DeadlineSettings).values(id=1, updated_by=actor, **chosen)
                    .on_conflict_do_update(index_elements=["id"], set_={
                        **chosen, "updated_by": actor, "updated_at": func.now()}))
    if changed:
        record("deadlines.settings_changed", "deadline_settings", None, actor=actor,
               detail=changed, session=session)
    return session.get(DeadlineSettings, 1, populate_existing=True)
