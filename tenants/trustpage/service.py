"""The trust page's blocks and the stories of past trainees: reading and saving them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants.audit.service import record
from tenants.trustpage.models import Story, TrustPage

BLOCK_FIELDS = ("about", "who_for", "after_applying", "postal_address", "postal_deadline",
                "places_limited", "course_is_free", "disability_confident", "contact_role")
PHOTO_MAX_BYTES = 500 * 1024
# The first bytes of each accepted type: the upload's own claim of its type is not trusted.
PHOTO_SIGNATURES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


def page(session: Session) -> TrustPage:
    """The trust's page blocks; a trust that has written none gets the defaults (unsaved)."""
    found = session.get(TrustPage, 1)
    return found if found is not None else default_page()


def default_page() -> TrustPage:
    return TrustPage(id=1, places_limited=False, course_is_free=True, disability_confident=True)


def save_page(session: Session, values: dict, actor: str) -> TrustPage:
    current = session.get(TrustPage, 1)
    if current is None:
        current = page(session)
        session.add(current)
    for name in BLOCK_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    current.updated_at = func.now()
    session.flush()
    session.refresh(current)
    record("trust_page.saved", "trust_page", 1, actor=actor, session=session)
    return current


def is_disability_confident_employer(session: Session) -> bool:
    """Whether the trust guarantees an interview to disabled applicants who meet the rules."""
    return page(session).disability_confident


# --- Stories ------------------------------------------------------------------------------


def photo_type_of(data: bytes) -> str | None:
    """The accepted image type these bytes start with, or None."""
    return next((kind for kind, signature in PHOTO_SIGNATURES.items()
                 if data.startswith(signature)), None)


def stories(session: Session) -> list[Story]:
    return list(session.scalars(select(Story).order_by(Story.consent_given_on.desc(),
                                                       Story.id.desc())))


def shown_stories(session: Session) -> list[Story]:
    """Stories whose consent stands: a withdrawal hides a story from the next request on."""
    return [story for story in stories(session) if story.withdrawn_at is None]


def shown_story(session: Session, story_id: int) -> Story | None:
    story = session.get(Story, story_id)
    return story if story is not None and story.withdrawn_at is None else None


def add_story(session: Session, values: dict, actor: str) -> Story:
    photo = values.get("photo")
    story = Story(role_title=values["role_title"], body=values["body"],
                  consent_given_on=values["consent_given_on"], consent_recorded_by=actor,
                  photo=photo, photo_type=photo_type_of(photo) if photo else None,
                  photo_alt=values.get("photo_alt") if photo else None)
    session.add(story)
    session.flush()
    record("story.added", "story", story.id, actor=actor, session=session)
    return story


def withdraw_story(session: Session, story: Story, actor: str) -> Story:
    """Consent withdrawn: the story leaves the page, and its photo is deleted at once."""
    if story.withdrawn_at is None:
        story.withdrawn_at = dt.datetime.now(dt.UTC)
        story.photo = story.photo_type = story.photo_alt = None
        session.flush()
        record("story.withdrawn", "story", story.id, actor=actor, session=session)
    return story
