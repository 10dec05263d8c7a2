"""What the platform API returns (marshmallow; the OpenAPI document is made from these)."""

from __future__ import annotations

from dataclasses import asdict

from flask import url_for
from marshmallow import Schema, fields, pre_dump

TRUST_STATUSES = ["active", "suspended", "offboarded"]
RUN_STATUSES = ["queued", "running", "succeeded", "failed"]


def _optional(field: type[fields.Field], **kwargs) -> fields.Field:
    return field(allow_none=True, **kwargs)


class OnboardingRunSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    status = fields.String(metadata={"enum": RUN_STATUSES})
    step = _optional(fields.String, metadata={"description": "How far it got"})
    error = _optional(fields.String, metadata={"description": "Why it failed"})
    created_at = fields.AwareDateTime()
    finished_at = _optional(fields.AwareDateTime)


class OnboardedSchema(Schema):
    run = fields.Nested(OnboardingRunSchema, required=True)


class TrustExportSchema(Schema):
    id = fields.Integer()
    file_name = fields.String()
    sha256 = fields.String(metadata={"description": "SHA-256 of the zip, hex"})
    size_bytes = fields.Integer()
    tables = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "Rows per table"})
    created_at = fields.AwareDateTime()
    passphrase = fields.String(metadata={
        "description": "Opens the AES-256 encrypted zip; given only when the export is made "
                       "(stored nowhere)"})
    download = fields.Method("_download", metadata={
        "type": "string", "description": "Where to GET the zip (with the admin token)"})

    def _download(self, made) -> str:
        return url_for("platform_api.download_export", slug=made.trust_slug, export_id=made.id)


class PlatformTrustSchema(Schema):
    slug = fields.String()
    display_name = fields.String()
    status = fields.String(metadata={"enum": TRUST_STATUSES})
    hosts = fields.List(fields.String())
    contact_email = _optional(fields.String)
    contact_phone = _optional(fields.String)
    exports = fields.List(fields.Nested(TrustExportSchema),
                          metadata={"description": "Data exports, newest first"})


class TrustStatusSchema(Schema):
    slug = fields.String()
    status = fields.String(metadata={"enum": TRUST_STATUSES})


class WeekSchema(Schema):
    week_start = fields.Date(metadata={"description": "A Monday"})
    applications = fields.Integer()


class UpgradeResultSchema(Schema):
    before = _optional(fields.String)
    after = _optional(fields.String)
    ok = fields.Boolean()
    error = _optional(fields.String)
    at = fields.AwareDateTime()


class TrustHealthSchema(Schema):
    """A trust in the fleet: counts only, never applicant data (null: not measured)."""

    slug = fields.String()
    display_name = fields.String()
    status = fields.String(metadata={"enum": TRUST_STATUSES})
    version = _optional(fields.String, metadata={"description": "Schema version"})
    up_to_date = fields.Boolean(metadata={"description": "At the code's schema head"})
    open_cohorts = _optional(fields.Integer)
    applications_this_month = _optional(fields.Integer)
    notifications_pending = _optional(fields.Integer)
    notifications_failed = _optional(fields.Integer)
    last_sign_in = _optional(fields.AwareDateTime)
    weekly = fields.List(fields.Nested(WeekSchema),
                         metadata={"description": "Applications per week, oldest first"})
    last_upgrade = fields.Nested(UpgradeResultSchema, allow_none=True, metadata={
        "description": "This trust's result in the last `peerpath trusts upgrade` it was in"})

    @pre_dump
    def flatten(self, health, **_kwargs):
        return {**asdict(health), "up_to_date": health.up_to_date,
                "weekly": [{"week_start": week, "applications": count}
                           for week, count in health.weekly]}


class UpgradeRunSchema(Schema):
    id = fields.Integer()
    actor = fields.String()
    head = _optional(fields.String)
    started_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime()
    upgraded = fields.Integer()
    failed = fields.Integer()


class FleetSchema(Schema):
    head = fields.String(metadata={"description": "The tenant schema version of this code"})
    last_upgrade_run = fields.Nested(UpgradeRunSchema, allow_none=True)


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor = fields.String()
    action = fields.String()
    target = _optional(fields.String)
    ip = _optional(fields.String)
    detail = fields.Dict()
