"""Marshmallow schemas for courses, cohorts and training days (HTML forms and JSON API).

HTML date inputs arrive as three boxes (``<name>-day``, ``-month``, ``-year``); JSON sends
"YYYY-MM-DD". ``DatePartsSchema`` joins the boxes first, so one schema serves both.
"""

from __future__ import annotations

import datetime as dt

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from peerpath.api import MAX_ID
from peerpath.forms import Clock
from tenants.cohorts.models import DAY_KINDS, FORMATS

# In the OpenAPI document (so the API's fuzzing sends what these schemas accept): text
# with something other than spaces in it, and a 24-hour clock time.
NOT_BLANK = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
# ... and dates in 2000-2100 (the document says so with a pattern: format `date` alone
# allows any year).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
DAY_PATTERN = r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def required(message: str, invalid: str | None = None) -> dict:
    return {"required": message, "null": message, "invalid": invalid or message}


def text(label: str, *, max_length: int, optional: bool = False, **kwargs) -> fields.String:
    if optional:
        return fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(max=max_length,
                                                      error=f"{label} must be {max_length} "
                                                            "characters or fewer"), **kwargs)
    return fields.String(required=True, validate=validate.Length(
        min=1, max=max_length, error=f"Enter {label.lower()} ({max_length} characters or fewer)"),
        error_messages=required(f"Enter {label.lower()}"), metadata={"pattern": NOT_BLANK},
        **kwargs)


def whole_number(label: str, low: int, high: int, **kwargs) -> fields.Integer:
    message = f"{label} must be a whole number from {low} to {high}"
    kwargs.setdefault("required", "load_default" not in kwargs)  # a missing one was a 500
    return fields.Integer(strict=False, validate=validate.Range(low, high, error=message),
                          error_messages=required(message), **kwargs)


def day(label: str, *, optional: bool = False) -> fields.Date:
    message = f"{label} must be a real date"
    # A programme's dates fall in this century: far-off years are typing mistakes (and
    # date arithmetic on them, like bank holidays, would fail), refused like any bad date.
    in_range = validate.Range(FIRST_DAY, LAST_DAY, error=f"{label} must be a date from "
                              f"{FIRST_DAY.year} to {LAST_DAY.year}")
    kwargs = {"validate": in_range, "metadata": {"pattern": DAY_PATTERN}}
    if optional:
        return fields.Date(load_default=None, allow_none=True,
                           error_messages={"invalid": message}, **kwargs)
    return fields.Date(required=True, error_messages=required(f"Enter {label.lower()}", message),
                       **kwargs)


def clock(label: str) -> fields.Time:
    return Clock(required=True, error_messages=required(
        f"Enter {label.lower()}", f"{label} must be a time like 09:30 (24-hour clock)"))


class DatePartsSchema(Schema):
    """Joins HTML date boxes into ISO dates; blank strings become None (unset)."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _join_parts(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("Send an object with the fields as keys")
        data = dict(data)
        for name, field in self.fields.items():
            parts = [data.pop(f"{name}-{part}", None) for part in ("day", "month", "year")]
            if isinstance(field, fields.Date) and any(p is not None for p in parts):
                day_, month, year = (str(p or "").strip() for p in parts)
                if day_ or month or year:
                    data[name] = (f"{year.zfill(4)}-{month.zfill(2)}-{day_.zfill(2)}"
                                  if day_.isdigit() and month.isdigit() and year.isdigit()
                                  else "not a date")
                else:
                    data[name] = None
        return {key: (None if isinstance(value, str) and not value.strip() else value)
                for key, value in data.items()}


class CourseSchema(DatePartsSchema):
    name = text("The course name", max_length=200)
    length_weeks = whole_number("Length in weeks", 1, 104)
    training_days = whole_number("Number of training days", 1, 366)
    format = fields.String(required=True, validate=validate.OneOf(
        FORMATS, error="Choose classroom, placement or a mix"),
        error_messages=required("Choose classroom, placement or a mix"))
    locations = fields.List(fields.String(validate=validate.Length(max=300)), load_default=list,
                            metadata={"description": "Places the course is taught"})
    leads_to = text("What the course leads to", max_length=2000, optional=True)
    description = text("The description", max_length=5000, optional=True)

    @pre_load
    def _split_locations(self, data, **kwargs):
        # The HTML form sends one location per line.
        if isinstance(data, dict) and isinstance(data.get("locations"), str):
            data = {**data, "locations": [line.strip() for line in
                                          data["locations"].splitlines() if line.strip()]}
        return data

    @validates_schema
    def _days_fit(self, data, **kwargs):
        if data["training_days"] > data["length_weeks"] * 7:
            raise ValidationError("A course cannot have more training days than days in its "
                                  "weeks", field_name="training_days")


class CohortSchema(DatePartsSchema):
    course_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        1, MAX_ID, error="Choose the course"), error_messages=required("Choose the course"))
    name = text("The cohort name", max_length=200)
    capacity = whole_number("Places", 1, 1000)
    eoi_opens_on = day("The date applications open")
    eoi_closes_on = day("The closing date for applications")
    shortlisting_week_of = day("The shortlisting week", optional=True)
    interview_week_of = day("The interview week", optional=True)
    starts_on = day("The start date")
    posts_advertised = text("When posts are expected to be advertised", max_length=200,
                            optional=True)


class TrainingDaySchema(DatePartsSchema):
    on_date = day("The date of the training day")
    starts_at = clock("The start time")
    ends_at = clock("The end time")
    place = text("The place", max_length=300)
    kind = fields.String(load_default="classroom", validate=validate.OneOf(
        DAY_KINDS, error="Choose classroom or placement"))

    @validates_schema
    def _times_in_order(self, data, **kwargs):
        if data["starts_at"] >= data["ends_at"]:
            raise ValidationError("The end time must be after the start time",
                                  field_name="ends_at")
