"""JSON: message delivery status, and GOV.UK Notify's delivery-receipt callback.

The callback authenticates with the bearer token the trust gave Notify (its hash is kept
in the trust's settings); it is not an API token, so it can do nothing else.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from peerpath.errors import error_response
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.notifications import channels, service
from tenants.notifications.models import OutboxMessage
from tenants.notifications.schemas import MessageFilterSchema, ReceiptSchema

bp = Blueprint("notifications_api", __name__)


def message_json(row: OutboxMessage) -> dict:
    return {"id": row.id, "template": row.template_key, "variant": row.variant,
            "channel": row.channel, "status": row.status, "attempts": row.attempts,
            "related": {"type": row.related_type, "id": row.related_id}
            if row.related_type else None,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
            "error": row.last_error}


@bp.get("/notifications/messages")
@api_access("read")
def list_messages():
    query = MessageFilterSchema().load(request.args)
    related = None
    if request.args.get("related_type") and request.args.get("related_id"):
        related = (request.args["related_type"][:40], request.args["related_id"][:60])
    rows, total = service.list_messages(db.session, query["status"], query["page"], related)
    return jsonify(total=total, messages=[message_json(r) for r in rows])


@bp.get("/notifications/messages/<int:message_id>")
@api_access("read")
def get_message(message_id: int):
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        return error_response(404, "Not found")
    return jsonify(message_json(row))


@bp.post("/notifications/delivery-receipts")
def delivery_receipt():
    kind, _, token = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "bearer" or not channels.callback_token_ok(db.session, token.strip()):
        return error_response(401, "Send the callback bearer token set for this trust")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return error_response(400, "Send a JSON object")
    receipt = ReceiptSchema().load(payload)
    if not channels.record_receipt(db.session, receipt["reference"] or "", receipt["id"],
                                   receipt["status"]):
        db.session.rollback()
        return error_response(404, "No such message")
    db.session.commit()
    return "", 204
