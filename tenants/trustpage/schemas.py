"""Marshmallow schemas for the trust page, its crisis lines and stories (pages and API).

Yes/no settings arrive from the pages as radios ("yes"/"no") and from the API as JSON
booleans; the same schema reads both.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from peerpath.forms import single_line
from tenants.cohorts.forms import api_input
from tenants.cohorts.schemas import DatePartsSchema, day, text
from tenants.eligibility.api import StrictBoolean

BLOCK_LENGTH = 4000
# In the OpenAPI document, so the API's fuzzing sends what these fields accept: one line
# (the line breaks peerpath.forms.single_line refuses), and not blank when required.
BREAKS = "\r\n\v\f\x85\u2028\u2029\u0000"
ONE_LINE = f"^[^{BREAKS}]*$"
ONE_LINE_NOT_BLANK = f"^[^{BREAKS}]*[^\\s{BREAKS}][^{BREAKS}]*$"
PHONE = r"^[0-9 +()-]*$"


def one_line(label: str, *, max_length: int, optional: bool = False) -> fields.String:
    field = text(label, max_length=max_length, optional=optional)
    field.metadata = {**field.metadata, "pattern": ONE_LINE if optional else ONE_LINE_NOT_BLANK}
    return field


class YesNo(fields.Boolean):
    """"yes" or "no" from a radio, or a JSON true/false; anything else is refused."""

    def __init__(self, question: str, **kwargs):
        message = f"Select yes or no: {question.lower()}"
        super().__init__(required=True, error_messages={"required": message, "null": message,
                                                        "invalid": message}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        words = {"yes": True, "no": False}
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in words:
            return words[value]
        raise self.make_error("invalid")


class TrustPageSchema(DatePartsSchema):
    about = text("About the programme", max_length=BLOCK_LENGTH, optional=True)
    who_for = text("Who it is for", max_length=BLOCK_LENGTH, optional=True)
    after_applying = text("What happens after you apply", max_length=BLOCK_LENGTH,
                          optional=True)
    postal_address = text("The postal address", max_length=500, optional=True)
    postal_deadline = day("The deadline for paper forms", optional=True)
    places_limited = YesNo("Are places limited")
    course_is_free = YesNo("Is the course free")
    disability_confident = YesNo("Is the trust a Disability Confident employer")
    contact_role = one_line("The contact's role", max_length=200, optional=True)

    @validates("contact_role")
    def _one_line(self, value, **kwargs):
        single_line(value)

    @validates_schema
    def _address_for_the_deadline(self, data, **kwargs):
        if data.get("postal_deadline") and not data.get("postal_address"):
            raise ValidationError("Enter the postal address that paper forms go to, or "
                                  "remove the deadline", field_name="postal_address")


class TrustPageView(Schema):
    about = fields.String(allow_none=True)
    who_for = fields.String(allow_none=True)
    after_applying = fields.String(allow_none=True)
    postal_address = fields.String(allow_none=True)
    postal_deadline = fields.Date(allow_none=True)
    places_limited = fields.Boolean()
    course_is_free = fields.Boolean()
    disability_confident = fields.Boolean()
    contact_role = fields.String(allow_none=True)


class TrustPageJsonSchema(TrustPageSchema):
    """The API's twin: JSON booleans only (not "yes"/"no")."""

    places_limited = StrictBoolean(required=True)
    course_is_free = StrictBoolean(required=True)
    disability_confident = StrictBoolean(required=True)


# Unknown fields refused, ISO dates only (the date boxes' joining is the pages' alone), and
# the cross-field check a 409.
TrustPageInputSchema = api_input(TrustPageJsonSchema, html_only=("_join_parts",))


class CrisisLineSchema(Schema):
    name = one_line("The name of the line", max_length=200)
    phone = fields.String(load_default=None, allow_none=True, metadata={"pattern": PHONE},
                          validate=[
        validate.Length(max=40, error="The phone number must be 40 characters or fewer"),
        validate.Regexp(PHONE, error="Enter the phone number with digits, "
                                                 "spaces and + only, like 0808 800 3302")])
    description = text("When to call it", max_length=1000)

    @validates("name")
    def _one_line(self, value, **kwargs):
        single_line(value)


class CrisisLineView(CrisisLineSchema):
    id = fields.Integer(dump_only=True)
    position = fields.Integer(dump_only=True)


class CrisisLinesInputSchema(Schema):
    lines = fields.List(fields.Nested(CrisisLineSchema), required=True,
                        validate=validate.Length(min=1, max=20, error="Give from 1 to 20 "
                                                 "crisis lines"))

    class Meta:
        unknown = "raise"


class CrisisLinesView(Schema):
    lines = fields.List(fields.Nested(CrisisLineView))


class StorySchema(DatePartsSchema):
    role_title = one_line("Their role", max_length=200)
    body = text("The story", max_length=BLOCK_LENGTH)
    consent_given_on = day("The date they gave consent")
    photo_alt = text("The description of the photo", max_length=300, optional=True)

    @validates("role_title")
    def _one_line(self, value, **kwargs):
        single_line(value)


class StoryView(Schema):
    id = fields.Integer()
    role_title = fields.String()
    body = fields.String()
    has_photo = fields.Function(lambda story: story.photo_type is not None)
    photo_alt = fields.String(allow_none=True)
    consent_given_on = fields.Date()
    withdrawn_at = fields.AwareDateTime(allow_none=True)
