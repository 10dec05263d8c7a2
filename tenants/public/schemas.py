"""What the public pages and the API show of a trust."""

from __future__ import annotations

from marshmallow import Schema, fields


class TrustSchema(Schema):
    slug = fields.String(dump_only=True)
    display_name = fields.String(dump_only=True)
    contact_email = fields.String(dump_only=True, allow_none=True)
    contact_phone = fields.String(dump_only=True, allow_none=True)
