"""Validation at the edge for the notification pages and API."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from tenants.notifications.models import STATUSES


class TemplateSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    subject = fields.String(required=True, validate=validate.Length(
        min=1, max=300, error="Enter a subject of 300 characters or fewer"),
        error_messages={"required": "Enter a subject"})
    body_text = fields.String(required=True, validate=validate.Length(
        min=1, max=10_000, error="Enter the message, in 10,000 characters or fewer"),
        error_messages={"required": "Enter the message"})
    body_html = fields.String(load_default=None, validate=validate.Length(
        max=20_000, error="Keep the HTML version to 20,000 characters or fewer"))
    sms_text = fields.String(load_default=None, validate=validate.Length(
        max=918, error="Keep the text message to 918 characters (6 texts) or fewer"))
    action = fields.String(load_default="save", validate=validate.OneOf(("save", "preview")))


class MessageFilterSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class ReceiptSchema(Schema):
    """A GOV.UK Notify delivery receipt (only the fields we use)."""

    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(max=100))
    reference = fields.String(required=True, allow_none=True,
                              validate=validate.Length(max=100))
    status = fields.String(required=True, validate=validate.Length(max=40))
