"""Marshmallow schemas of the console's forms and the platform API (one set for both)."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates

from peerpath.admin.onboarding_runs import TEMPLATES
from peerpath.onboarding import HOST_PATTERN
from peerpath.tenancy import InvalidSlug, validate_slug

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"


def _blank_to_none(data, names):
    if isinstance(data, dict):
        data = dict(data)
        for name in names:
            if isinstance(data.get(name), str) and not data[name].strip():
                data[name] = None
    return data


class OnboardTrustSchema(Schema):
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 error_messages={"required": "Enter the trust's name"})
    slug = fields.String(required=True, error_messages={"required": "Enter a short name"})
    hosts = fields.List(fields.String(validate=validate.Length(max=253)), load_default=list)
    contact_email = fields.Email(allow_none=True, load_default=None,
                                 error_messages={"invalid": EMAIL_INVALID})
    contact_phone = fields.String(allow_none=True, load_default=None,
                                  validate=validate.Length(max=40))
    lead_email = fields.Email(required=True, error_messages={
        "required": "Enter the lead coordinator's email address", "invalid": EMAIL_INVALID})
    template = fields.String(load_default="standard", validate=validate.OneOf(
        list(TEMPLATES), error="Choose a starting configuration"))

    @pre_load
    def tidy(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        data = {k: v.strip() if isinstance(v, str) and k != "hosts" else v
                for k, v in data.items()}
        # Blank optional fields mean "none"; blank required ones count as missing.
        data = {k: v for k, v in _blank_to_none(data, ("contact_email", "contact_phone")).items()
                if v != "" or k == "hosts"}
        hosts = data.get("hosts")
        if isinstance(hosts, str):  # the HTML form: one per line, or separated by commas
            data["hosts"] = [h for h in re.split(r"[\s,]+", hosts.lower()) if h]
        return data

    @validates("slug")
    def valid_slug(self, value, **_kwargs):
        try:
            validate_slug(value)
        except InvalidSlug as exc:
            raise ValidationError(
                "Enter a short name of 2 to 41 lower-case letters, digits or single hyphens, "
                "starting with a letter, that is not a reserved word"
                if "reserved" not in str(exc) else f"{value} is a reserved word: "
                "choose another short name") from None

    @validates("hosts")
    def valid_hosts(self, value, **_kwargs):
        bad = [h for h in value if not HOST_PATTERN.fullmatch(h or "")]
        if bad:
            raise ValidationError(f"{bad[0]} is not a host name, like psw.trust.nhs.uk")


class ConfirmOffboardSchema(Schema):
    confirmation = fields.String(required=True, validate=validate.Length(min=1, max=100),
                                 error_messages={"required": "Type the trust's short name"})


class AuditFilterSchema(Schema):
    actor = fields.String(load_default=None, validate=validate.Length(max=320))
    action = fields.String(load_default=None, validate=validate.Length(max=80))
    trust = fields.String(load_default=None, validate=validate.Length(max=200))
    date_from = fields.Date(load_default=None, data_key="from",
                            error_messages={"invalid": "Enter a date like 2026-11-30"})
    date_to = fields.Date(load_default=None, data_key="to",
                          error_messages={"invalid": "Enter a date like 2026-11-30"})
    before_id = fields.Integer(load_default=None, data_key="before",
                               validate=validate.Range(min=1, max=2**62))

    @pre_load
    def blanks(self, data, **_kwargs):
        return _blank_to_none(data, ("actor", "action", "trust", "from", "to", "before"))


class NewTokenSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         error_messages={"required": "Enter a name for the token"})
    days = fields.Integer(load_default=90, validate=validate.Range(
        min=1, max=365, error="Enter a number of days from 1 to 365"),
        error_messages={"invalid": "Enter a number of days from 1 to 365"})

    @pre_load
    def blanks(self, data, **_kwargs):
        data = _blank_to_none(data, ("name", "days"))
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if v is not None}
        return data


class SignInSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=320), error_messages={
        "required": "Enter your email address", "invalid": EMAIL_INVALID})
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024),
                             error_messages={"required": "Enter your password"})


class CodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=6, max=40, error=(
        "Enter the 6-digit code from your authenticator app, or a recovery code")),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"})
