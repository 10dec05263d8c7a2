"""What the trust API shows of courses and cohorts (input uses tenants.cohorts.schemas)."""

from __future__ import annotations

from marshmallow import Schema, fields

from peerpath.extensions import db
from tenants.cohorts import calendar, service
from tenants.cohorts.models import DAY_KINDS, FORMATS

HOURS_MINUTES = "%H:%M"


class CourseOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    length_weeks = fields.Integer()
    training_days = fields.Integer()
    format = fields.String(metadata={"enum": list(FORMATS)})
    locations = fields.List(fields.String())
    leads_to = fields.String(allow_none=True)
    description = fields.String(allow_none=True)


class TrainingDayOutSchema(Schema):
    id = fields.Integer()
    on_date = fields.Date()
    starts_at = fields.Time(format=HOURS_MINUTES)
    ends_at = fields.Time(format=HOURS_MINUTES)
    place = fields.String()
    kind = fields.String(metadata={"enum": list(DAY_KINDS)})
    bank_holiday = fields.Function(lambda day: calendar.bank_holiday(day.on_date),
                                   allow_none=True,
                                   metadata={"type": "string", "nullable": True,
                                             "description": "Its name, if a bank holiday"})


class KeyDateSchema(Schema):
    key = fields.String()
    title = fields.String()
    first = fields.Date()
    last = fields.Date()
    bank_holidays = fields.List(fields.String())


class CohortOutSchema(Schema):
    id = fields.Integer()
    course_id = fields.Integer()
    name = fields.String()
    capacity = fields.Integer()
    eoi_opens_on = fields.Date()
    eoi_closes_on = fields.Date()
    shortlisting_week_of = fields.Date(allow_none=True)
    interview_week_of = fields.Date(allow_none=True)
    starts_on = fields.Date()
    posts_advertised = fields.String(allow_none=True)
    places_offered = fields.Function(lambda cohort: service.places_offered(db.session,
                                                                           cohort.id),
                                     metadata={"type": "integer"})
    training_days = fields.List(fields.Nested(TrainingDayOutSchema), attribute="days")
    key_dates = fields.Function(
        lambda cohort: KeyDateSchema(many=True).dump(
            calendar.key_dates(cohort, with_training_days=False)),
        metadata={"type": "array", "items": {"type": "object"}})
