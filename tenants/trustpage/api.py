"""JSON twins of the trust page settings: its blocks, its crisis lines and its stories."""

from __future__ import annotations

from flask import Blueprint

from peerpath.api import api_operation, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications import crisis
from tenants.cohorts.forms import api_save, get_or_404
from tenants.trustpage import service
from tenants.trustpage.models import Story
from tenants.trustpage.schemas import (
    CrisisLinesInputSchema,
    CrisisLinesView,
    StoryView,
    TrustPageInputSchema,
    TrustPageView,
)

bp = Blueprint("trust_page_api", __name__)


@bp.get("/trust-page")
@api_access("settings:read")
@api_operation(response=TrustPageView)
def get_trust_page():
    """Get the blocks of the trust's public page."""
    return service.page(db.session)


@bp.put("/trust-page")
@api_access("trust_page:write")
@api_operation(request=TrustPageInputSchema, response=TrustPageView, errors=(409,))
def put_trust_page(body):
    """Replace the blocks of the trust's public page (plain text; blank lines separate
    paragraphs)."""
    require_if_match(service.page(db.session))
    return api_save(service.save_page, body, api_actor())


@bp.get("/crisis-lines")
@api_access("settings:read")
@api_operation(response=CrisisLinesView)
def get_crisis_lines():
    """Get the crisis lines every applicant page links to (the national lines until the
    trust saves its own)."""
    return {"lines": crisis.lines(db.session)}


@bp.put("/crisis-lines")
@api_access("trust_page:write")
@api_operation(request=CrisisLinesInputSchema, response=CrisisLinesView, errors=(409,))
def put_crisis_lines(body):
    """Replace the trust's crisis lines with this list, in this order."""
    require_if_match({"lines": crisis.lines(db.session)})
    return {"lines": api_save(crisis.replace_lines, body["lines"], api_actor())}


@bp.get("/stories")
@api_access("settings:read")
@api_operation(response=StoryView, many=True)
def list_stories():
    """List the stories of past trainees, withdrawn ones included (with `withdrawn_at`)."""
    return service.stories(db.session)


@bp.post("/stories/<int:story_id>/withdraw")
@api_access("trust_page:write")
@api_operation(response=StoryView)
def withdraw_story(story_id: int):
    """Record that a trainee withdrew consent: the story leaves the public page at once."""
    story = get_or_404(Story, story_id)
    return api_save(service.withdraw_story, story, api_actor())
