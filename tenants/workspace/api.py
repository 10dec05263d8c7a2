"""JSON API for the coordinator workspace: notes on an application, a response recorded to
an EOI, and a later reply-by date for an invitation or an offer (as on the application page).

Shared helpers for the interviews and training APIs live here too: lookups that read an
unknown id as 404, and a service refusal as a 409 (rolled back).
"""

from __future__ import annotations

from flask import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import select

from peerpath.api import api_operation, paginate
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications import responses
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.cohorts.forms import api_input, api_save, get_or_404
from tenants.workspace import service
from tenants.workspace.models import ApplicationNote
from tenants.workspace.schemas import ExtendReplyBySchema, NoteSchema, RecordResponseSchema

bp = Blueprint("workspace_api", __name__)


def or_conflict(call, *refusals):
    """call(), or a 409 with the service's reason when it refuses (rolled back)."""
    try:
        return call()
    except refusals as refused:
        db.session.rollback()
        message = getattr(refused, "message", None) or getattr(refused, "reason", None)
        abort(409, message or str(refused))


class NoteOutSchema(Schema):
    id = fields.Integer()
    author = fields.String()
    body = fields.String()
    created_at = fields.AwareDateTime()


@bp.get("/applications/<int:application_id>/notes")
@api_access("applications:read")
@api_operation(response=NoteOutSchema, paginated=True)
def list_notes(application_id: int, query):
    """List the notes on an application, oldest first (the read is audited)."""
    application = get_or_404(Application, application_id)
    page = paginate(db.session, select(ApplicationNote).where(
        ApplicationNote.application_id == application.id), ApplicationNote.id, query)
    record("application.notes_view", "application", application.id, actor=api_actor())
    db.session.commit()
    return page


@bp.post("/applications/<int:application_id>/notes")
@api_access("applications:write")
@api_operation(request=api_input(NoteSchema), response=NoteOutSchema, status=201)
def add_note(application_id: int, body):
    """Add a note to an application."""
    application = get_or_404(Application, application_id)
    note = service.add_note(db.session, application, body["body"], actor=api_actor())
    db.session.commit()
    return note


class DeadlinesOutSchema(Schema):
    """An application's dates: when the team responded to its EOI, and its reply-by date."""

    id = fields.Integer()
    stage = fields.String()
    responded_at = fields.AwareDateTime(allow_none=True)
    reply_by = fields.Date(allow_none=True)


@bp.post("/applications/<int:application_id>/eoi-response")
@api_access("applications:write")
@api_operation(request=api_input(RecordResponseSchema), response=DeadlinesOutSchema,
               errors=(409,))
def record_eoi_response(application_id: int, body):
    """Record that the team responded to an EOI another way than a decision (by phone, by
    email, by letter or in person); it leaves the list of EOIs to respond to."""
    application = get_or_404(Application, application_id)
    api_save(lambda session: responses.record_response(session, application, body["how"],
                                                       actor=api_actor()))
    return application


@bp.post("/applications/<int:application_id>/reply-by")
@api_access("decisions:write")
@api_operation(request=api_input(ExtendReplyBySchema, html_only=("_join_parts",)),
               response=DeadlinesOutSchema, errors=(409,))
def extend_reply_by(application_id: int, body):
    """Give the applicant longer to answer an interview invitation or a place offer: a later
    working day, not in the past, no later than the cohort's calendar allows. The applicant
    is told the new date; `extension_reason` is kept as a note for the team."""
    application = get_or_404(Application, application_id)
    api_save(lambda session: service.extend_reply_by(
        session, application, body["reply_by"], body["extension_reason"], actor=api_actor()))
    return application
