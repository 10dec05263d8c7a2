"""Input of the conditions pages and API: the trust's list, a condition's status on a place,
a lead's override, and a coordinator's deferral."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from tenants.cohorts.schemas import text
from tenants.conditions.models import STATUSES


class ConditionWordingSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token

    label = text("The condition, as the team reads it", max_length=200)
    waiting_for = text("What the applicant reads after \u201cWe are waiting for\u201d",
                       max_length=300)


class ConditionStatusSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(required=True, validate=validate.OneOf(
        STATUSES, error="Choose pending, met or not met"),
        error_messages={"required": "Choose pending, met or not met"},
        metadata={"enum": list(STATUSES)})


class ConditionOverrideSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    reason = text("The reason they may start training with conditions unmet",
                  max_length=2000)
