"""Input of the reasons settings pages."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from tenants.cohorts.schemas import text
from tenants.reasons.models import KINDS


class ReasonSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token

    label = text("The reason, as the team chooses it", max_length=200)
    feedback = text("What the applicant reads", max_length=2000)


class NewReasonSchema(ReasonSchema):
    kind = fields.String(required=True, validate=validate.OneOf(
        KINDS, error="Choose what kind of decision this reason is for"),
        error_messages={"required": "Choose what kind of decision this reason is for"})
