"""Input of the interview pages and API."""

from __future__ import annotations

import datetime as dt

from marshmallow import ValidationError, fields, validate, validates_schema

from tenants.applications.schemas import Lenient, text
from tenants.cohorts.schemas import Clock
from tenants.interviews.models import OUTCOMES

TIME_ERROR = "Enter a time like 09:30"


class SlotsSchema(Lenient):
    days = fields.List(fields.Date(error_messages={"invalid": "Choose days from the list"}),
                       required=True, validate=validate.Length(min=1, max=10,
                                                               error="Choose at least one day"),
                       error_messages={"required": "Choose at least one day"})
    start = Clock(required=True, error_messages={"required": "Enter the start time",
                                                       "invalid": TIME_ERROR})
    end = Clock(required=True, error_messages={"required": "Enter the end time",
                                                     "invalid": TIME_ERROR})
    length = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=10, max=240, error="Enter a length from 10 to 240 minutes"),
        error_messages={"required": "Enter the length of each interview in minutes",
                        "invalid": "Enter the length in minutes, like 45"})
    place = text("Enter where the interviews happen", max_length=300)
    panel = fields.List(fields.Integer(validate=validate.Range(min=1, max=2**62)),
                        load_default=list)
    # The coordinator saw the warning that a day is outside interview week, and still wants it.
    confirm_outside_week = fields.Boolean(load_default=False, truthy={"yes", True, "true"},
                                          falsy={"", "no", False, "false"})

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise ValidationError("The end time must be after the start time", "end")


class BookSchema(Lenient):
    slot_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose a time",
                                           "invalid": "Choose a time"})
    adjustments = text(max_length=1000,
                       too_long="Adjustments must be 1000 characters or fewer")


class CoordinatorBookSchema(BookSchema):
    application_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, max=2**62), error_messages={"required": "Choose an applicant",
                                           "invalid": "Choose an applicant"})


class RecordSchema(Lenient):
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(
        strict=False, validate=validate.Range(min=1, max=4, error="Score from 1 to 4")),
        load_default=dict)
    notes = text(max_length=5000, too_long="Notes must be 5000 characters or fewer")
    outcome = fields.String(required=True, validate=validate.OneOf(
        OUTCOMES, error="Choose an outcome"), error_messages={"required": "Choose an outcome"})


def scores_from_form(form, keys) -> dict:
    return {key: form.get(f"score-{key}") for key in keys if form.get(f"score-{key}")}


def week_days(week_of: dt.date | None) -> list[dt.date]:
    if week_of is None:
        return []
    monday = week_of - dt.timedelta(days=week_of.weekday())
    return [monday + dt.timedelta(days=n) for n in range(5)]
