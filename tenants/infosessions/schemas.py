"""Marshmallow schemas for drop-in sessions and bookings (HTML forms and JSON API)."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from peerpath.forms import single_line
from tenants.cohorts.schemas import DatePartsSchema, clock, day, text, whole_number

PHONE = re.compile(r"^\+?[0-9]{10,15}$")
LINK_ERROR = "Enter the online link as a full address starting https://"
# A meeting link; also in the OpenAPI document, so the API's fuzzing sends what is valid.
ONLINE_URL = r"^https://[A-Za-z0-9]+(\.[A-Za-z0-9]+)*\.[A-Za-z]{2,}(/[A-Za-z0-9._~/?=&%#+-]*)?$"


def normalise_phone(value: str | None) -> str | None:
    if not value:
        return None
    return re.sub(r"[\s().-]", "", value)


class InfoSessionSchema(DatePartsSchema):
    title = text("The title", max_length=200)
    on_date = day("The date")
    starts_at = clock("The start time")
    ends_at = clock("The end time")
    place = text("The place", max_length=300, optional=True)
    online_url = fields.Url(load_default=None, allow_none=True, schemes={"https"},
                            validate=validate.Regexp(ONLINE_URL, error=LINK_ERROR),
                            metadata={"pattern": ONLINE_URL},
                            error_messages={"invalid": LINK_ERROR})
    capacity = whole_number("Places", 1, 1000, load_default=None, allow_none=True)
    access_notes = text("The notes on access", max_length=2000, optional=True)

    @validates_schema
    def _check(self, data, **kwargs):
        if data["starts_at"] >= data["ends_at"]:
            raise ValidationError("The end time must be after the start time",
                                  field_name="ends_at")
        if not data.get("place") and not data.get("online_url"):
            raise ValidationError("Enter the place, or an online link", field_name="place")


class BookingSchema(DatePartsSchema):
    name = text("Your name", max_length=200)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=320),
                         error_messages={"invalid": "Enter an email address in the correct "
                                                    "format, like name@example.com"})
    phone = fields.String(load_default=None, allow_none=True)
    access_needs = text("Access needs", max_length=2000, optional=True)

    @validates("name")
    def _one_line(self, value, **kwargs):
        single_line(value)

    @validates_schema
    def _contact(self, data, **kwargs):
        phone = normalise_phone(data.get("phone"))
        if data.get("phone") and not PHONE.match(phone or ""):
            raise ValidationError("Enter a phone number, like 07700 900 982 or 0116 496 0000",
                                  field_name="phone")
        if not data.get("email") and not phone:
            raise ValidationError("Enter an email address or a phone number so we can reach "
                                  "you", field_name="email")


class AttendanceSchema(DatePartsSchema):
    attended = fields.String(required=True, validate=validate.OneOf(
        ("yes", "no", "unknown"), error="Choose whether they came"),
        error_messages={"required": "Choose whether they came"})
