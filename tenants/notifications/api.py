"""JSON: message delivery status, and GOV.UK Notify's delivery-receipt callback.

The callback authenticates with the bearer token the trust gave Notify (its hash is kept
in the trust's settings); it is not an API token, so it can do nothing else.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from peerpath.api import PageQuery, api_operation, paginate, require_if_match
from peerpath.errors import error_response
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.cohorts.forms import api_input, api_save, get_or_404
from tenants.coordinators.models import Coordinator
from tenants.eligibility.api import StrictBoolean
from tenants.notifications import channels
from tenants.notifications.models import STATUSES, OutboxMessage
from tenants.notifications.schemas import (
    ProviderSettingsSchema,
    ProviderSettingsView,
    ReceiptSchema,
)
from tenants.notifications.service import get_settings

bp = Blueprint("notifications_api", __name__)
# Notify's callback is not an operation of the token API (Notify holds no API token): its
# own blueprint, at the same prefix, outside the OpenAPI document.
callbacks = Blueprint("notifications_callbacks", __name__)


class MessageFilters(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    related_type = fields.String(validate=validate.Length(min=1, max=40))
    related_id = fields.String(validate=validate.Length(min=1, max=60))


class RelatedSchema(Schema):
    type = fields.String(attribute="related_type")
    id = fields.String(attribute="related_id")


class MessageSchema(Schema):
    id = fields.Integer()
    template = fields.String(attribute="template_key")
    variant = fields.String(allow_none=True)
    channel = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    attempts = fields.Integer()
    related = fields.Function(lambda row: RelatedSchema().dump(row) if row.related_type
                              else None, allow_none=True,
                              metadata={"type": "object", "nullable": True, "properties": {
                                  "type": {"type": "string"}, "id": {"type": "string"}}})
    created_at = fields.AwareDateTime()
    sent_at = fields.AwareDateTime(allow_none=True)
    delivered_at = fields.AwareDateTime(allow_none=True)
    error = fields.String(attribute="last_error", allow_none=True)


@bp.get("/notifications/messages")
@api_access("messages:read")
@api_operation(response=MessageSchema, query=MessageFilters, paginated=True)
def list_messages(query):
    """List the messages sent or queued, newest first.

    Filter by `status`, and by what a message is about (`related_type` with `related_id`).
    """
    statement = select(OutboxMessage)
    if query.get("status"):
        statement = statement.where(OutboxMessage.status == query["status"])
    if query.get("related_type") and query.get("related_id"):
        statement = statement.where(OutboxMessage.related_type == query["related_type"],
                                    OutboxMessage.related_id == query["related_id"])
    return paginate(db.session, statement, OutboxMessage.id, query, descending=True)


@bp.get("/notifications/messages/<int:message_id>")
@api_access("messages:read")
@api_operation(response=MessageSchema)
def get_message(message_id: int):
    """Get a message's delivery status."""
    return get_or_404(OutboxMessage, message_id)


class ProviderSettingsInputSchema(api_input(ProviderSettingsSchema, html_only=("tidy",))):
    sms_fallback = StrictBoolean(load_default=False)  # JSON true or false, not "yes"


def _lead_tokens_only() -> None:
    """Providers are a lead's choice, in the API as on the page: a lead's token only."""
    owner = db.session.get(Coordinator, g.api_coordinator_id)
    if owner is None or owner.role != "lead":
        abort(403, "Only a lead's API token may see or change the trust's providers")


@bp.get("/notifications/settings")
@api_access("providers:read")
@api_operation(response=ProviderSettingsView, errors=(403,))
def get_provider_settings():
    """Get the trust's email and text message providers (a lead's token only).

    Says whether a GOV.UK Notify API key and a callback token are set, never what they are.
    """
    _lead_tokens_only()
    return get_settings(db.session)


@bp.put("/notifications/settings")
@api_access("providers:write")
@api_operation(request=ProviderSettingsInputSchema, response=ProviderSettingsView,
               errors=(403, 409))
def put_provider_settings(body):
    """Choose the trust's email and text message providers (a lead's token only).

    `notify_api_key` is write-only: leave it out (or null) to keep the key already set.
    Choosing GOV.UK Notify needs a key and the template id of each channel sent through it.
    """
    _lead_tokens_only()
    settings = get_settings(db.session)
    require_if_match(settings)
    api_save(channels.save_provider_settings, body, api_actor())
    return settings


@callbacks.post("/notifications/delivery-receipts")
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
