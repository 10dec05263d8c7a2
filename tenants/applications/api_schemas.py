"""What the applications API shows, and the filters of its list."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from peerpath.api import MAX_ID, PageQuery
from tenants.applications import pipeline

STAGE = {"enum": list(pipeline.ALL_STAGES)}


class ApplicationFilters(PageQuery):
    cohort_id = fields.Integer( validate=validate.Range(1, MAX_ID))
    stage = fields.String(validate=validate.OneOf(pipeline.ALL_STAGES))


class ApplicationSummarySchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    cohort_id = fields.Integer()
    stage = fields.String(metadata=STAGE)
    stage_label = fields.Function(lambda a: pipeline.LABELS[a.stage],
                                  metadata={"type": "string"})
    eligibility_outcome = fields.String(allow_none=True)
    disability_confident = fields.Boolean(allow_none=True)
    channel = fields.String()
    submitted_at = fields.AwareDateTime(allow_none=True)


class ApplicantSchema(Schema):
    id = fields.Integer()
    name = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    communication_needs = fields.Function(lambda a: a.communication_needs or {},
                                          metadata={"type": "object"})


class HistoryEntrySchema(Schema):
    at = fields.AwareDateTime()
    actor = fields.String(allow_none=True)
    from_ = fields.String(attribute="from_stage", data_key="from", allow_none=True)
    to = fields.String(attribute="to_stage")
    reason = fields.String(allow_none=True)
    reason_id = fields.Integer(allow_none=True)  # the structured reason (GET /reasons)


class ApplicationDetailSchema(ApplicationSummarySchema):
    """An application with its answers and history (each read is audited)."""

    applicant = fields.Nested(ApplicantSchema)
    answers = fields.Function(lambda a: a.answers or {}, metadata={"type": "object"})
    rule_set_version_id = fields.Integer(allow_none=True)
    eligibility_results = fields.Function(lambda a: a.eligibility_results or [],
                                          metadata={"type": "array",
                                                    "items": {"type": "object"}})
    allowed_moves = fields.Function(lambda a: list(pipeline.allowed_moves(a.stage)),
                                    metadata={"type": "array", "items": {"type": "string"}})
    history = fields.List(fields.Nested(HistoryEntrySchema))
