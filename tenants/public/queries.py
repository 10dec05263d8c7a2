"""Reads for the trust's public page, each in one statement however much the trust has
written (issue 19: the page within 6 statements, the same at 2 trusts and at 1,000)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import defer

from tenants.applications import crisis
from tenants.applications.models import CrisisLine
from tenants.trustpage import service as trust_page
from tenants.trustpage.models import Story, TrustPage

_PAGE, _STORIES, _LINES = 1, 2, 3


@dataclass(frozen=True)
class PageContent:
    page: TrustPage
    stories: list[Story]
    crisis_lines: list[CrisisLine]


def page_content(session) -> PageContent:
    """The trust's page blocks, its shown stories (newest consent first) and its crisis
    lines, in one statement: three rows (generate_series, which SQLAlchemy compiles once
    and caches, where a VALUES list is compiled on every call), each outer-joined to one
    of the tables, so every result row carries one entity and leaves the other two empty.
    The photos stay in the database (the page links to them)."""
    part = func.generate_series(_PAGE, _LINES).table_valued("part").render_derived()
    query = (select(part.c.part, TrustPage, Story, CrisisLine)
             .select_from(part)
             .outerjoin(TrustPage, and_(part.c.part == _PAGE, TrustPage.id == 1))
             .outerjoin(Story, and_(part.c.part == _STORIES, Story.withdrawn_at.is_(None)))
             .outerjoin(CrisisLine, and_(part.c.part == _LINES, true()))
             .options(defer(Story.photo))
             .order_by(part.c.part, Story.consent_given_on.desc(), Story.id.desc(),
                       CrisisLine.position, CrisisLine.id))
    page, stories, lines = None, [], []
    for _part, found_page, story, line in session.execute(query):
        page = found_page or page
        if story is not None:
            stories.append(story)
        if line is not None:
            lines.append(line)
    return PageContent(page=page or trust_page.default_page(), stories=stories,
                       crisis_lines=lines or crisis.default_lines())
