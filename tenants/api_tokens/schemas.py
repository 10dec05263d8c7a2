"""What a coordinator sends to make a token, and what the API shows of one (never a secret)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from tenants.api_tokens.service import EXPIRY_CHOICES, SCOPES

NAME = [validate.Length(min=1, error="Enter a name for the token"),
        validate.Length(max=100, error="Enter a name of 100 characters or fewer")]


class CreateTokenSchema(Schema):
    name = fields.String(required=True, validate=NAME,
                         error_messages={"required": "Enter a name for the token"})
    scope = fields.String(required=True, validate=validate.OneOf(
        SCOPES, error="Select what the token may do"),
        error_messages={"required": "Select what the token may do"})
    days = fields.Integer(required=True, strict=False, validate=validate.OneOf(
        EXPIRY_CHOICES, error="Select when the token expires"),
        error_messages={"required": "Select when the token expires",
                        "invalid": "Select when the token expires"})


class TokenSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    scope = fields.String(dump_only=True, metadata={"enum": list(SCOPES)})
    status = fields.String(dump_only=True, metadata={"enum": ["active", "expired", "revoked"]})
    created_at = fields.AwareDateTime(dump_only=True)
    expires_at = fields.AwareDateTime(dump_only=True)
    revoked_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    last_used_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class RenameTokenSchema(Schema):
    name = fields.String(required=True, validate=NAME)
