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


UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# What GOV.UK Notify issues: "<key name>-<service id>-<secret>" (the client reads the two ids
# from the end), so a key with anything else at its end cannot work.
NOTIFY_KEY = re.compile(rf"^[\w.\- ]{{1,255}}-{UUID_PATTERN}-{UUID_PATTERN}$", re.IGNORECASE)
TEMPLATE_ID = re.compile(rf"^{UUID_PATTERN}$", re.IGNORECASE)
CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
PROVIDER_CHOICE = "Select how {what} are sent"


def _time_field(what: str) -> fields.Time:
    message = f"Enter when quiet hours {what}, in 24-hour format, like 21:00"
    return fields.Time(required=True, error_messages={"required": message, "invalid": message})


class ProviderSettingsSchema(Schema):
    """The lead's choice of providers. `key_stored` says whether the trust already has a
    Notify key, so a blank key field keeps it; the key is never put in an error message."""

    class Meta:
        unknown = EXCLUDE

    email_provider = fields.String(required=True, validate=validate.OneOf(
        EMAIL_PROVIDERS, error=PROVIDER_CHOICE.format(what="emails")),
        error_messages={"required": PROVIDER_CHOICE.format(what="emails")})
    sms_provider = fields.String(required=True, validate=validate.OneOf(
        SMS_PROVIDERS, error=PROVIDER_CHOICE.format(what="text messages")),
        error_messages={"required": PROVIDER_CHOICE.format(what="text messages")})
    notify_api_key = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        NOTIFY_KEY, error="Enter the whole API key, as GOV.UK Notify shows it: its name "
                          "followed by two long codes"))
    notify_email_template_id = fields.String(load_default=None, allow_none=True,
                                             validate=validate.Regexp(TEMPLATE_ID, error=(
                                                 "Enter the email template ID as GOV.UK "
                                                 "Notify shows it, like "
                                                 "f33517ff-2a88-4f6e-b855-c550268ce08a")))
    notify_sms_template_id = fields.String(load_default=None, allow_none=True,
                                           validate=validate.Regexp(TEMPLATE_ID, error=(
                                               "Enter the text message template ID as GOV.UK "
                                               "Notify shows it, like "
                                               "f33517ff-2a88-4f6e-b855-c550268ce08a")))
    quiet_hours_start = _time_field("start")
    quiet_hours_end = _time_field("end")
    sms_fallback = fields.Boolean(load_default=False)

    def __init__(self, *args, key_stored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_stored = key_stored

    @pre_load
    def tidy(self, data, **kwargs):
        data = dict(data)
        for name in ("notify_api_key", "notify_email_template_id", "notify_sms_template_id"):
            value = data.get(name)
            data[name] = (value.strip() or None) if isinstance(value, str) else value
        for name in ("quiet_hours_start", "quiet_hours_end"):
            value = data.get(name)
            match = CLOCK.match(value.strip()) if isinstance(value, str) else None
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
        if notify_used and not (data.get("notify_api_key") or self.key_stored):
            problems["notify_api_key"] = "Enter your GOV.UK Notify API key to send through Notify"
        if data.get("email_provider") == "notify" and not data.get("notify_email_template_id"):
            problems["notify_email_template_id"] = \
                "Enter the ID of your GOV.UK Notify email template"
        if data.get("sms_provider") == "notify" and not data.get("notify_sms_template_id"):
            problems["notify_sms_template_id"] = \
                "Enter the ID of your GOV.UK Notify text message template"
        if problems:
            raise ValidationError(problems)
