"""Each trust's "Help in a crisis" lines, with national defaults for a new trust."""

from __future__ import annotations

from sqlalchemy import delete, select

from peerpath.platform_views import CRISIS_LINES
from peerpath.refusal import Refused
from tenants.applications.models import CrisisLine
from tenants.audit.service import record

DEFAULT_LINES = CRISIS_LINES  # NHS 111, Samaritans 116 123, 999


def lines(session) -> list:
    rows = list(session.scalars(select(CrisisLine).order_by(CrisisLine.position, CrisisLine.id)))
    return rows or default_lines()


def default_lines() -> list:
    """The national lines, shown while a trust has none of its own (unsaved)."""
    return [CrisisLine(**line) for line in DEFAULT_LINES]


def add_default_lines(session, tenant=None) -> None:
    """Onboarding step (and demo seed): the national lines, unless the trust has its own."""
    if session.scalar(select(CrisisLine.id).limit(1)) is None:
        session.add_all(CrisisLine(position=i, **line) for i, line in enumerate(DEFAULT_LINES))


def own_lines(session) -> list[CrisisLine]:
    """The lines the trust has saved (none means the national defaults are shown)."""
    return list(session.scalars(select(CrisisLine).order_by(CrisisLine.position, CrisisLine.id)))


def add_line(session, values: dict, actor: str) -> CrisisLine:
    position = max((line.position for line in own_lines(session)), default=-1) + 1
    line = CrisisLine(position=position, name=values["name"], phone=values.get("phone") or None,
                      description=values["description"])
    session.add(line)
    session.flush()
    record("crisis_line.added", "crisis_line", line.id, actor=actor, session=session)
    return line


def remove_line(session, line: CrisisLine, actor: str) -> None:
    if len(own_lines(session)) <= 1:
        raise Refused("Keep at least one crisis line: add another before removing this one")
    session.delete(line)
    session.flush()
    record("crisis_line.removed", "crisis_line", line.id, actor=actor, session=session)


def replace_lines(session, lines: list[dict], actor: str) -> list[CrisisLine]:
    """The API's whole list: the trust's lines become exactly these, in this order."""
    session.execute(delete(CrisisLine))
    session.add_all(CrisisLine(position=i, name=line["name"], phone=line.get("phone") or None,
                               description=line["description"]) for i, line in enumerate(lines))
    session.flush()
    record("crisis_lines.replaced", "crisis_line", None, actor=actor, session=session)
    return own_lines(session)
