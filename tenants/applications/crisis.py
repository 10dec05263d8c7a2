"""Each trust's "Help in a crisis" lines, with national defaults for a new trust."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.platform_views import CRISIS_LINES
from tenants.applications.models import CrisisLine

DEFAULT_LINES = CRISIS_LINES  # NHS 111, Samaritans 116 123, 999


def lines(session) -> list:
    rows = list(session.scalars(select(CrisisLine).order_by(CrisisLine.position, CrisisLine.id)))
    return rows or [CrisisLine(**line) for line in DEFAULT_LINES]


def add_default_lines(session, tenant=None) -> None:
    """Onboarding step (and demo seed): the national lines, unless the trust has its own."""
    if session.scalar(select(CrisisLine.id).limit(1)) is None:
        session.add_all(CrisisLine(position=i, **line) for i, line in enumerate(DEFAULT_LINES))
