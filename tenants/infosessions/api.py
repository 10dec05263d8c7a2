"""Drop-in information sessions in the trust API (sessions only: bookings hold personal
data and are seen on the coordinator pages, where each view is audited)."""

from __future__ import annotations

from flask import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select
from sqlalchemy.orm import undefer

from peerpath.api import api_operation, paginate, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts.api_schemas import HOURS_MINUTES
from tenants.cohorts.forms import api_input, api_save, get_or_404
from tenants.infosessions import service
from tenants.infosessions.models import InfoSession
from tenants.infosessions.schemas import InfoSessionSchema

bp = Blueprint("infosessions_api", __name__)
InfoSessionInput = api_input(InfoSessionSchema, html_only=("_join_parts",))


class InfoSessionOutSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    on_date = fields.Date()
    starts_at = fields.Time(format=HOURS_MINUTES)
    ends_at = fields.Time(format=HOURS_MINUTES)
    place = fields.String(allow_none=True)
    online_url = fields.String(allow_none=True)
    capacity = fields.Integer(allow_none=True)
    access_notes = fields.String(allow_none=True)
    cancelled = fields.Function(lambda s: s.cancelled_at is not None,
                                metadata={"type": "boolean"})
    booked = fields.Integer(metadata={"description": "Live bookings"})


@bp.get("/information-sessions")
@api_access("settings:read")
@api_operation(response=InfoSessionOutSchema, paginated=True)
def sessions(query):
    """List the information sessions, with how many are booked on each."""
    return paginate(db.session, select(InfoSession).options(undefer(InfoSession.booked)),
                    InfoSession.id, query)


@bp.get("/information-sessions/<int:info_session_id>")
@api_access("settings:read")
@api_operation(response=InfoSessionOutSchema)
def one(info_session_id: int):
    """Get an information session."""
    return get_or_404(InfoSession, info_session_id)


@bp.post("/information-sessions")
@api_access("settings:write")
@api_operation(request=InfoSessionInput, response=InfoSessionOutSchema, status=201,
               errors=(409,))
def create(body):
    """Add an information session (a place, an online link, or both)."""
    return api_save(service.save_session, body)


@bp.put("/information-sessions/<int:info_session_id>")
@api_access("settings:write")
@api_operation(request=InfoSessionInput, response=InfoSessionOutSchema, errors=(409,))
def update(info_session_id: int, body):
    """Change an information session.

    Places cannot drop below the people booked (409).
    """
    existing = get_or_404(InfoSession, info_session_id)
    require_if_match(existing)
    return api_save(service.save_session, body, existing)
