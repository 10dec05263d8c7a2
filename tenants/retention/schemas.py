from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from tenants.retention.registry import CATEGORIES
from tenants.retention.service import MAX_MONTHS
from tenants.retention.subject_access import SUBJECT_REF_PATTERN


def policy_schema() -> Schema:
    """One optional whole number of months per category (empty: keep the records)."""
    months = {
        key: fields.Integer(
            load_default=None, allow_none=True, strict=False,
            validate=validate.Range(min=1, max=MAX_MONTHS,
                                    error=f"Enter a number of months from 1 to {MAX_MONTHS}"),
            error_messages={"invalid": "Enter a whole number of months, like 12"})
        for key in CATEGORIES
    }
    return Schema.from_dict(months, name="RetentionPolicySchema")()


class SubjectLookupSchema(Schema):
    subject_ref = fields.String(required=True, validate=validate.Regexp(
        SUBJECT_REF_PATTERN, error="Enter the applicant's reference, like A1234"),
        error_messages={"required": "Enter the applicant's reference"})


class ErasureSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(
        min=1, max=2000, error="Enter why the data is being erased (up to 2,000 characters)"),
        error_messages={"required": "Enter why the data is being erased"})
    keep = fields.List(fields.String(), load_default=list)
    kept_reason = fields.String(load_default=None, validate=validate.Length(max=2000))
    confirm = fields.String(required=True, validate=validate.Equal("yes"), error_messages={
        "required": "Confirm that you want to erase this applicant's personal data"})

    @validates_schema
    def reason_for_what_is_kept(self, data, **_kwargs):
        if data.get("keep") and not (data.get("kept_reason") or "").strip():
            raise ValidationError("Enter why the trust must keep what you ticked",
                                  "kept_reason")
