"""JSON API for the coordinator workspace: notes on an application.

Shared helpers for the interviews and training APIs live here too: the JSON body (400 when
malformed, 422 with field messages via marshmallow), lookups that read another trust's or an
unknown id as 404, and the actor string of the calling token.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from peerpath.errors import error_response
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.workspace import service
from tenants.workspace.schemas import NoteSchema

bp = Blueprint("workspace_api", __name__)


def actor() -> str:
    return f"api_token:{g.api_token_id}"


def body(schema):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Send a JSON object")
    return schema.load(data)


def find(model, record_id: int):
    found = db.session.get(model, record_id) if record_id < 2**62 else None
    if found is None:
        abort(404)
    return found


def attempt(call, *refusals):
    """(result, None), or (None, a 409 response) when the service refuses: rolled back."""
    try:
        return call(), None
    except refusals as refused:
        db.session.rollback()
        message = getattr(refused, "message", None) or getattr(refused, "reason", None)
        return None, error_response(409, message or str(refused))


def note_json(note) -> dict:
    return {"id": note.id, "author": note.author, "body": note.body,
            "created_at": note.created_at.isoformat()}


@bp.get("/applications/<int:application_id>/notes")
@api_access("read")
def list_notes(application_id: int):
    application = find(Application, application_id)
    notes = service.notes(db.session, application.id)
    record("application.notes_view", "application", application.id, actor=actor())
    db.session.commit()
    return jsonify(items=[note_json(n) for n in notes])


@bp.post("/applications/<int:application_id>/notes")
@api_access("write")
def add_note(application_id: int):
    application = find(Application, application_id)
    data = body(NoteSchema())
    note = service.add_note(db.session, application, data["body"], actor=actor())
    db.session.commit()
    return jsonify(note_json(note)), 201
