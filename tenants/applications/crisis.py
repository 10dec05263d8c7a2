"""Each trust's "Help in a crisis" lines, with national defaults for a new trust."""

from __future__ import annotations

from sqlalchemy import select

from tenants.applications.models import CrisisLine

DEFAULT_LINES = (
    {"name": "NHS 111", "phone": "111",
     "description": "Call 111 and select the mental health option, or go to 111.nhs.uk. "
                    "Free, 24 hours a day."},
    {"name": "Samaritans", "phone": "116 123",
     "description": "Call free, any time, day or night, to talk to someone who will listen."},
    {"name": "Emergency services", "phone": "999",
     "description": "Call 999 or go to A&E if your life, or someone else's, is at risk now."},
)


def lines(session) -> list:
    rows = list(session.scalars(select(CrisisLine).order_by(CrisisLine.position, CrisisLine.id)))
    return rows or [CrisisLine(**line) for line in DEFAULT_LINES]


def add_default_lines(session, tenant=None) -> None:
    """Onboarding step (and demo seed): the national lines, unless the trust has its own."""
    if session.scalar(select(CrisisLine.id).limit(1)) is None:
        session.add_all(CrisisLine(position=i, **line) for i, line in enumerate(DEFAULT_LINES))
