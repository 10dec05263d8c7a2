"""Input of the places, training and outcomes pages and API."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from tenants.applications.schemas import Lenient, text
from tenants.training.models import ATTENDANCE, OUTCOME_KINDS


class PlaceActionSchema(Lenient):
    application_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose an applicant"})
    action = fields.String(required=True, validate=validate.OneOf(
        ("offer", "accept", "decline", "complete"), error="Choose an action"),
        error_messages={"required": "Choose an action"})


class CompletionRuleSchema(Lenient):
    min_attendance_percent = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=100, error="Enter a percentage from 0 to 100"),
        error_messages={"required": "Enter the minimum attendance",
                        "invalid": "Enter a percentage from 0 to 100"})
    min_placement_hours = fields.Integer(load_default=0, strict=False, validate=validate.Range(
        min=0, max=2000, error="Enter hours from 0 to 2000"),
        error_messages={"invalid": "Enter a whole number of hours"})


class AttendanceSchema(Lenient):
    statuses = fields.Dict(keys=fields.Integer(strict=False, validate=validate.Range(
        min=1, max=2**62)), values=fields.String(validate=validate.OneOf(
            ATTENDANCE, error="Choose present, absent or authorised absence")),
        required=True, error_messages={"required": "Mark at least one person"})


class PlacementHoursSchema(Lenient):
    application_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose a trainee"})
    on_date = fields.Date(required=True, error_messages={
        "required": "Enter the date", "invalid": "Enter a real date, like 2026-11-16"})
    hours = fields.Decimal(required=True, places=2, validate=validate.Range(
        min=0.25, max=24, error="Enter hours from 0.25 to 24"),
        error_messages={"required": "Enter the hours", "invalid": "Enter a number of hours"})


class OutcomeBodySchema(Lenient):
    """An outcome through the API (the application is in the path)."""

    kind = fields.String(required=True, validate=validate.OneOf(
        OUTCOME_KINDS, error="Choose an outcome"), error_messages={"required": "Choose an outcome"})
    detail = text(max_length=300, too_long="The detail must be 300 characters or fewer")


class OutcomeSchema(OutcomeBodySchema):
    application_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose a trainee"})


class FollowUpAnswerSchema(Lenient):
    """The applicant's own follow-up after training, from their account."""

    doing_now = fields.String(required=True, validate=validate.OneOf(
        OUTCOME_KINDS, error="Select what you are doing now"),
        error_messages={"required": "Select what you are doing now"})
    detail = text(max_length=300, too_long="Your answer must be 300 characters or fewer")
    hours_per_week = fields.Decimal(load_default=None, places=1, validate=validate.Range(
        min=0.5, max=80, error="Enter your hours a week as a number from 1 to 80, like 15"),
        error_messages={"invalid": "Enter your hours a week as a number, like 15"})
    wants_support = fields.String(required=True, validate=validate.OneOf(
        ("yes", "no"), error="Select yes if you would like the team to contact you"),
        error_messages={"required": "Select yes if you would like the team to contact you"})

    @validates_schema(skip_on_field_errors=False)
    def detail_for_something_else(self, data, **_kwargs):
        if data.get("doing_now") == "something_else" and not data.get("detail"):
            raise ValidationError("Tell us what you are doing", field_name="detail")
