"""Input of the workspace pages (HTML forms and the JSON API)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from tenants.applications import pipeline
from tenants.applications.responses import HOW
from tenants.applications.schemas import HEARD_VIA_CHOICES, PHONE, Lenient, choice, text
from tenants.cohorts.schemas import DatePartsSchema, day
from tenants.cohorts.schemas import text as settings_text
from tenants.workspace.queries import SORTS

ELIGIBILITY = ("eligible", "not_eligible", "needs_review")
BULK_ACTIONS = ("shortlist", "reject", "invite")


class ListFiltersSchema(Lenient):
    stage = fields.String(load_default=None, validate=validate.OneOf(
        pipeline.ALL_STAGES, error="Choose a stage from the list"))
    eligibility = fields.String(load_default=None, validate=validate.OneOf(
        ELIGIBILITY, error="Choose an eligibility result from the list"))
    q = text(max_length=200, too_long="Search for 200 characters or fewer")
    sort = fields.String(load_default="submitted", validate=validate.OneOf(
        tuple(SORTS), error="Choose how to sort from the list"))
    order = fields.String(load_default="desc", validate=validate.OneOf(("asc", "desc")))
    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(
        min=1, max=100000, error="Choose a page number from the list"))


class BulkActionSchema(Lenient):
    action = fields.String(required=True, validate=validate.OneOf(
        BULK_ACTIONS, error="Choose what to do with the selected applications"),
        error_messages={"required": "Choose what to do with the selected applications"})
    ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**62)),
                      required=True, validate=validate.Length(
                          min=1, error="Select at least one application"),
                      error_messages={"required": "Select at least one application"})
    reason_id = fields.Integer(load_default=None, strict=False, validate=validate.Range(
        min=1, max=2**62, error="Choose a reason from the list"),
        error_messages={"invalid": "Choose a reason from the list"})
    note = text(max_length=1000, too_long="The note must be 1000 characters or fewer")
    dc_reason = text(max_length=1000, too_long="The reason must be 1000 characters or fewer")
    send_message = fields.String(load_default="yes", validate=validate.OneOf(("yes", "no")))


class OverrideSchema(Lenient):
    outcome = fields.String(required=True, validate=validate.OneOf(
        ("eligible", "not_eligible"), error="Choose eligible or not eligible"),
        error_messages={"required": "Choose eligible or not eligible"})
    reason = text("Give the reason for changing the eligibility result", max_length=1000)


class NoteSchema(Lenient):
    body = text("Enter the note", max_length=5000,
                too_long="The note must be 5000 characters or fewer")


class MoveSchema(Lenient):
    to = fields.String(required=True, validate=validate.OneOf(
        pipeline.ALL_STAGES, error="Choose a stage"), error_messages={"required": "Choose a stage"})
    reason_id = fields.Integer(load_default=None, strict=False, validate=validate.Range(
        min=1, max=2**62, error="Choose a reason from the list"),
        error_messages={"invalid": "Choose a reason from the list"})
    reason = text(max_length=1000, too_long="The reason must be 1000 characters or fewer")
    send_message = fields.String(load_default="yes", validate=validate.OneOf(("yes", "no")))


class EnteredEoiSchema(Lenient):
    """An EOI a coordinator enters: many people who phone or post a form have no e-mail
    address, so any one way to reach them will do (their messages then go by text, letter
    or a phone call from the team: tenants.notifications.reach)."""

    name = text("Enter the applicant's full name", max_length=200)
    email = fields.Email(load_default=None, validate=validate.Length(max=320), error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})
    phone = fields.String(load_default=None, validate=validate.Regexp(
        PHONE, error="Enter a phone number, like 01632 960 001 or 07700 900 982"))
    postal_address = text(max_length=500,
                          too_long="The postal address must be 500 characters or fewer")
    texts_ok = fields.String(load_default=None, validate=validate.Equal("yes"))
    channel = fields.String(required=True, validate=validate.OneOf(
        ("paper", "email", "phone"), error="Choose how the EOI reached you"),
        error_messages={"required": "Choose how the EOI reached you"})
    heard_via = choice(HEARD_VIA_CHOICES, "Choose where they heard about the training")
    consent = fields.String(required=True, validate=validate.Equal(
        "yes", error="Confirm the applicant agreed to you entering their EOI"),
        error_messages={"required": "Confirm the applicant agreed to you entering their EOI"})

    @validates_schema
    def _some_way_to_reach_them(self, data, **kwargs):
        problems = {}
        if not (data.get("email") or data.get("phone") or data.get("postal_address")):
            problems["email"] = ("Enter an email address, a phone number or a postal address "
                                 "so the team can reach them")
        if data.get("texts_ok") and not data.get("phone"):
            problems["phone"] = "Enter the phone number to send text messages to"
        if problems:
            raise ValidationError(problems)


class MergeSchema(Lenient):
    duplicate_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose the duplicate to merge"})


class ExtendReplyBySchema(DatePartsSchema):
    """A later reply-by date (three date boxes on the page, "YYYY-MM-DD" in the API) and why,
    kept as a note for the team (the audit keeps the dates only)."""

    reply_by = day("The new reply-by date")
    extension_reason = settings_text("The reason the applicant needs longer", max_length=1000)


class RecordResponseSchema(Lenient):
    how = fields.String(required=True, validate=validate.OneOf(
        tuple(HOW), error="Choose how you responded"),
        error_messages={"required": "Choose how you responded"})
