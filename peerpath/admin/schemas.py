"""Marshmallow schemas of the console's forms and the platform API.

The JSON API takes typed values (a list of hosts, no blanks standing for "none"): its
schemas say in the OpenAPI document exactly what they accept, so the fuzzer's valid data
is accepted and its invalid data refused. The console's forms send text, so the form
schemas (...FormSchema) add tidying of blanks and host lists on top of the same fields.
Response schemas of the API: peerpath.admin.api_schemas.
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates

from peerpath.admin.onboarding_runs import TEMPLATES
from peerpath.api import PageQuery
from peerpath.forms import single_line
from peerpath.onboarding import HOST_PATTERN
from peerpath.tenancy import RESERVED_SLUGS, InvalidSlug, validate_slug

EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
# What validate_slug accepts, for the OpenAPI document: 2-41 characters, a letter first,
# single hyphens between letters and digits, not a reserved word.
SLUG_DOCUMENTED = ("^(?!(?:" + "|".join(sorted(RESERVED_SLUGS)) + ")$)"
                   "[a-z](?:[a-z0-9]|-(?=[a-z0-9])){1,40}$")
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # something besides spaces
# An address marshmallow's Email accepts, for the document and checked as well: a dotted
# local part, host labels and a top-level domain of letters; 254 characters at most (in
# the pattern: a maxLength beside it makes the fuzzer's boundary examples very slow).
EMAIL_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL_PATTERN = (f"^(?=.{{3,254}}$){EMAIL_ATOM}(\\.{EMAIL_ATOM})*"
                 "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$")
# The audit log's dates: this century (format `date` alone allows any year, and the day
# after 9999-12-31 does not exist).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _blank_to_none(data, names):
    if isinstance(data, dict):
        data = dict(data)
        for name in names:
            if isinstance(data.get(name), str) and not data[name].strip():
                data[name] = None
    return data


def _email(**kwargs) -> fields.String:
    # A String, so the document's only rule is the pattern: format `email` would let the
    # fuzzer's own idea of an address (a local part of 64 characters at most, ...) disagree.
    return fields.String(validate=[validate.Regexp(EMAIL_PATTERN, error=EMAIL_INVALID),
                                   validate.Email(error=EMAIL_INVALID)],
                         metadata={"pattern": EMAIL_PATTERN}, **kwargs)


def _not_blank(message: str):
    def check(value: str) -> None:
        if not value.strip():
            raise ValidationError(message)

    return check


class OnboardTrustSchema(Schema):
    display_name = fields.String(required=True, validate=[
        validate.Length(min=1, max=200), _not_blank("Enter the trust's name"), single_line],
        error_messages={"required": "Enter the trust's name"}, metadata={"pattern": NOT_BLANK})
    slug = fields.String(required=True, error_messages={"required": "Enter a short name"},
                         metadata={"pattern": SLUG_DOCUMENTED})
    hosts = fields.List(fields.String(metadata={"pattern": HOST_PATTERN.pattern}),
                        load_default=list)  # (the pattern says: 253 characters at most)
    contact_email = _email(allow_none=True, load_default=None)
    contact_phone = fields.String(allow_none=True, load_default=None,
                                  validate=validate.Length(max=40))
    lead_email = _email(required=True, error_messages={
        "required": "Enter the lead coordinator's email address"})
    template = fields.String(load_default="standard", validate=validate.OneOf(
        list(TEMPLATES), error="Choose a starting configuration"))

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

    @post_load
    def trimmed(self, data, **_kwargs):
        data["display_name"] = data["display_name"].strip()
        if data.get("contact_phone") is not None:
            data["contact_phone"] = data["contact_phone"].strip() or None
        return data


class OnboardTrustFormSchema(OnboardTrustSchema):
    """The console's form: trimmed text, blanks for "none", hosts one per line or by commas."""

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
        if isinstance(hosts, str):
            data["hosts"] = [h for h in re.split(r"[\s,]+", hosts.lower()) if h]
        return data


class ConfirmOffboardSchema(Schema):
    confirmation = fields.String(required=True, validate=validate.Length(min=1, max=100),
                                 error_messages={"required": "Type the trust's short name"})


def _audit_day(data_key: str) -> fields.Date:
    message = "Enter a date like 2026-11-30"
    return fields.Date(data_key=data_key, error_messages={"invalid": message},
                       validate=validate.Range(FIRST_DAY, LAST_DAY, error=(
                           f"Enter a date from {FIRST_DAY.year} to {LAST_DAY.year}")),
                       metadata={"pattern": DAY_PATTERN})


class AuditFilters(Schema):
    """Filters of the audit log; every one may be left out."""

    actor = fields.String(validate=validate.Length(max=320), metadata={
        "description": "Part of the actor (an admin's e-mail), any case"})
    action = fields.String(validate=validate.Length(max=80), metadata={
        "description": "The start of the action, e.g. `trust.` or `trust.suspended`"})
    trust = fields.String(validate=validate.Length(max=200), metadata={
        "description": "A trust's slug"})
    date_from = _audit_day("from")
    date_to = _audit_day("to")


class AuditPageQuery(PageQuery, AuditFilters):
    """The API's audit log: newest first, a page at a time."""


class AuditFilterSchema(AuditFilters):
    """The console's audit page: blank boxes are no filter; `before` pages back."""

    before_id = fields.Integer(data_key="before", validate=validate.Range(min=1, max=2**62))

    @pre_load
    def blanks(self, data, **_kwargs):
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}


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


class NewAdminFormSchema(Schema):
    email = _email(required=True, error_messages={
        "required": "Enter the new admin's email address"})

    @pre_load
    def blanks(self, data, **_kwargs):
        data = _blank_to_none(data, ("email",))
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v
                    for k, v in data.items() if v is not None}
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
