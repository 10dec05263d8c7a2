"""JSON API: teams, posts, and candidacies for posts (interest, interview, placement)."""

from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from peerpath.api import api_operation, paginate
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.cohorts.forms import api_input, get_or_404
from tenants.posts import service
from tenants.posts.models import (
    CANDIDACY_STATUSES,
    POST_ROLES,
    POST_STATUSES,
    TEAM_KINDS,
    Candidacy,
    Post,
    Team,
)
from tenants.posts.schemas import (
    ID,
    CandidacyActionSchema,
    PostSchema,
    PostStatusSchema,
    TeamSchema,
)
from tenants.training.service import Refused
from tenants.workspace.api import or_conflict

bp = Blueprint("posts_api", __name__)


class TeamOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    locality = fields.String(allow_none=True)
    kind = fields.String(metadata={"enum": list(TEAM_KINDS)})


class PostOutSchema(Schema):
    id = fields.Integer()
    team_id = fields.Integer()
    title = fields.String()
    role = fields.String(metadata={"enum": list(POST_ROLES)})
    hours_per_week = fields.Float(allow_none=True)
    band = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(POST_STATUSES)})
    advert_url = fields.String(allow_none=True)


class CandidacyOutSchema(Schema):
    id = fields.Integer()
    post_id = fields.Integer()
    application_id = fields.Integer()
    status = fields.String(metadata={"enum": list(CANDIDACY_STATUSES)})
    interview_at = fields.DateTime(allow_none=True)
    placed_on = fields.Date(allow_none=True)


class InterestBodySchema(Schema):
    application_id = fields.Integer(required=True, strict=True, validate=ID)


TeamInput = api_input(TeamSchema)
PostInput = api_input(PostSchema)
PostStatusInput = api_input(PostStatusSchema)
CandidacyActionInput = api_input(CandidacyActionSchema)


def _saved(call):
    found = or_conflict(call, Refused)
    db.session.commit()
    return found


@bp.get("/teams")
@api_access("posts:read")
@api_operation(response=TeamOutSchema, paginated=True)
def teams(query):
    """List the trust's teams, partner organisations and volunteering hosts."""
    return paginate(db.session, select(Team), Team.id, query)


@bp.post("/teams")
@api_access("posts:write")
@api_operation(request=TeamInput, response=TeamOutSchema, status=201, errors=(409,))
def add_team(body):
    """Add a team, partner organisation or volunteering host (409 if the name is taken)."""
    return _saved(lambda: service.add_team(db.session, actor=api_actor(), **body))


@bp.get("/posts")
@api_access("posts:read")
@api_operation(response=PostOutSchema, paginated=True)
def posts(query):
    """List the posts, with their team and status."""
    return paginate(db.session, select(Post), Post.id, query)


@bp.post("/posts")
@api_access("posts:write")
@api_operation(request=PostInput, response=PostOutSchema, status=201, errors=(409,))
def add_post(body):
    """Add a post to a team (409 if the team does not exist)."""
    return _saved(lambda: service.add_post(db.session, actor=api_actor(), **body))


@bp.post("/posts/<int:post_id>/status")
@api_access("posts:write")
@api_operation(request=PostStatusInput, response=PostOutSchema, errors=(409,))
def post_status(post_id: int, body):
    """Mark a post planned, advertised or closed (a filled post stays filled: 409)."""
    post = get_or_404(Post, post_id)
    _saved(lambda: service.set_status(db.session, post, body["status"], actor=api_actor()))
    return post


@bp.post("/posts/<int:post_id>/candidacies")
@api_access("posts:write")
@api_operation(request=InterestBodySchema, response=CandidacyOutSchema, status=201,
               errors=(409,))
def express_interest(post_id: int, body):
    """Record that someone who completed the training is interested in a post.

    409 if they have not completed, the post is not open, or it is recorded already.
    """
    get_or_404(Post, post_id)
    return _saved(lambda: service.express_interest(
        db.session, application_id=body["application_id"], post_id=post_id,
        actor=api_actor()))


@bp.post("/candidacies/<int:candidacy_id>/actions")
@api_access("posts:write")
@api_operation(request=CandidacyActionInput, response=CandidacyOutSchema, errors=(409,))
def candidacy_action(candidacy_id: int, body):
    """Record an interview, a placement (which fills the post and becomes the person's
    outcome) or that someone was not placed. 409 once the candidacy or post is decided."""
    candidacy = get_or_404(Candidacy, candidacy_id)
    actor = api_actor()
    if body["action"] == "interview":
        call = lambda: service.record_interview(  # noqa: E731
            db.session, candidacy, interview_at=body.get("interview_at"), actor=actor)
    elif body["action"] == "place":
        call = lambda: service.place(  # noqa: E731
            db.session, candidacy, placed_on=body.get("placed_on"), actor=actor)
    else:
        call = lambda: service.not_placed(db.session, candidacy, actor=actor)  # noqa: E731
    _saved(call)
    return candidacy
