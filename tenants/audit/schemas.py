from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class AuditSearchSchema(Schema):
    """The audit search's filters (query string); every one optional."""

    action = fields.String(validate=validate.Length(max=80), load_default=None)
    actor = fields.String(validate=validate.Length(max=340), load_default=None)
    record_type = fields.String(validate=validate.Length(max=60), load_default=None)
    record_id = fields.String(validate=validate.Length(max=60), load_default=None)
    date_from = fields.Date(load_default=None, error_messages={
        "invalid": "Enter the 'from' date as a real date, like 2026-03-31"})
    date_to = fields.Date(load_default=None, error_messages={
        "invalid": "Enter the 'to' date as a real date, like 2026-03-31"})
    before = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def dates_in_order(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date",
                                  "date_to")
