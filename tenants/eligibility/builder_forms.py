"""Marshmallow schemas for the question builder's pages (plain form fields, never JSON)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from tenants.eligibility.builder import TYPE_WORDS

PAGE_TYPES = tuple(TYPE_WORDS)


class PageSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    type = fields.String(required=True, validate=validate.OneOf(
        PAGE_TYPES, error="Choose what kind of page this is"),
        error_messages={"required": "Choose what kind of page this is"})
    label = fields.String(required=True, validate=validate.Length(
        min=1, max=300, error="Enter the question or page title (300 characters or fewer)"),
        error_messages={"required": "Enter the question or page title"})
    hint = fields.String(load_default=None, validate=validate.Length(max=500))
    required = fields.Boolean(load_default=True, truthy={"yes"}, falsy={"no"})
    options = fields.String(load_default="", validate=validate.Length(max=5000))
    none_of_these = fields.Boolean(load_default=False, truthy={"yes"})
    body = fields.String(load_default=None, validate=validate.Length(max=5000))

    @pre_load
    def _trim(self, data, **kwargs):
        data = {k: v.strip() if isinstance(v, str) else v for k, v in dict(data).items()}
        return {k: v for k, v in data.items() if v != ""}
