"""Validation at the edge for the notification pages and API."""

from __future__ import annotations

import re

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from tenants.cohorts.schemas import Clock
from tenants.notifications.models import EMAIL_PROVIDERS, SMS_PROVIDERS, STATUSES


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


UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# What GOV.UK Notify issues: "<key name>-<service id>-<secret>" (its client reads the two ids
# from the end), so a key with anything else at its end cannot work. (The patterns are in
# the OpenAPI document too, so the API's fuzzing sends what these schemas accept.)
NOTIFY_KEY = re.compile(rf"^[A-Za-z0-9_.\- ]{{1,255}}-{UUID_PATTERN}-{UUID_PATTERN}$")
TEMPLATE_ID = re.compile(rf"^{UUID_PATTERN}$")
LOOSE_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
PROVIDER_CHOICE = "Select how {what} are sent"
KEY_NEEDED = "Enter your GOV.UK Notify API key to send through Notify"
HH_MM = "%H:%M"
EXAMPLE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def _provider(choices: tuple[str, ...], what: str) -> fields.String:
    message = PROVIDER_CHOICE.format(what=what)
    return fields.String(required=True, validate=validate.OneOf(choices, error=message),
                         error_messages={"required": message, "null": message})


def _pattern(pattern: re.Pattern, message: str, **metadata) -> fields.String:
    return fields.String(load_default=None, allow_none=True,
                         validate=validate.Regexp(pattern, error=message),
                         metadata={"pattern": pattern.pattern, **metadata})


def _quiet_hours(what: str) -> Clock:
    message = f"Enter when quiet hours {what}, in 24-hour format, like 21:00"
    return Clock(format=HH_MM, required=True, error_messages={"required": message, "null": message,
                                                "invalid": message})


class ProviderSettingsSchema(Schema):
    """The lead's choice of providers (the page's form and the API's PUT).

    With `key_stored` (True or False) it also says when Notify is chosen without a key; the
    service checks that again in any case. No message ever repeats the key.
    """

    class Meta:
        unknown = EXCLUDE

    email_provider = _provider(EMAIL_PROVIDERS, "emails")
    sms_provider = _provider(SMS_PROVIDERS, "text messages")
    notify_api_key = _pattern(NOTIFY_KEY, "Enter the whole API key, as GOV.UK Notify shows it: "
                                          "its name followed by two long codes",
                              writeOnly=True, description="Write-only; leave out to keep it")
    notify_email_template_id = _pattern(TEMPLATE_ID, "Enter the email template ID as GOV.UK "
                                                     f"Notify shows it, like {EXAMPLE_ID}")
    notify_sms_template_id = _pattern(TEMPLATE_ID, "Enter the text message template ID as "
                                                   f"GOV.UK Notify shows it, like {EXAMPLE_ID}")
    quiet_hours_start = _quiet_hours("start")
    quiet_hours_end = _quiet_hours("end")
    sms_fallback = fields.Boolean(load_default=False)

    def __init__(self, *args, key_stored: bool | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_stored = key_stored

    @pre_load
    def tidy(self, data, **kwargs):
        """HTML form only: blank means none, and 9:00 or 21.30 are fine clock times."""
        data = dict(data)
        for name in ("notify_api_key", "notify_email_template_id", "notify_sms_template_id"):
            value = data.get(name)
            data[name] = (value.strip() or None) if isinstance(value, str) else value
        for name in ("quiet_hours_start", "quiet_hours_end"):
            value = data.get(name)
            match = LOOSE_CLOCK.match(value.strip()) if isinstance(value, str) else None
            if match:
                data[name] = f"{int(match[1]):02d}:{match[2]}"
        return data

    @post_load
    def lower_case_ids(self, data, **kwargs):
        for name in ("notify_email_template_id", "notify_sms_template_id"):
            if data.get(name):
                data[name] = data[name].lower()
        return data

    @validates_schema
    def notify_needs_its_details(self, data, **kwargs):
        problems = {}
        notify_used = "notify" in (data.get("email_provider"), data.get("sms_provider"))
        if notify_used and self.key_stored is False and not data.get("notify_api_key"):
            problems["notify_api_key"] = KEY_NEEDED
        if data.get("email_provider") == "notify" and not data.get("notify_email_template_id"):
            problems["notify_email_template_id"] = \
                "Enter the ID of your GOV.UK Notify email template"
        if data.get("sms_provider") == "notify" and not data.get("notify_sms_template_id"):
            problems["notify_sms_template_id"] = \
                "Enter the ID of your GOV.UK Notify text message template"
        if problems:
            raise ValidationError(problems)


class ProviderSettingsView(Schema):
    """The trust's providers as the API shows them: whether secrets are set, never them."""

    email_provider = fields.String(metadata={"enum": list(EMAIL_PROVIDERS)})
    sms_provider = fields.String(metadata={"enum": list(SMS_PROVIDERS)})
    notify_api_key_set = fields.Function(lambda s: bool(s.notify_api_key_sealed),
                                         metadata={"type": "boolean"})
    notify_email_template_id = fields.String(allow_none=True)
    notify_sms_template_id = fields.String(allow_none=True)
    quiet_hours_start = Clock(format=HH_MM)
    quiet_hours_end = Clock(format=HH_MM)
    sms_fallback = fields.Boolean()
    callback_token_set = fields.Function(lambda s: bool(s.callback_token_hash),
                                         metadata={"type": "boolean"})


class LetterAddressSchema(Schema):
    """The trust's own postal address, printed at the top of every letter it sends."""

    class Meta:
        unknown = EXCLUDE

    letter_address = fields.String(required=True, validate=validate.Length(
        min=1, max=500, error="Enter the address letters come from, in 500 characters or "
                              "fewer"),
        error_messages={"required": "Enter the address letters come from"})

    @pre_load
    def tidy(self, data, **kwargs):
        value = dict(data).get("letter_address")
        return {"letter_address": value.strip()} if isinstance(value, str) and value.strip() \
            else {}
