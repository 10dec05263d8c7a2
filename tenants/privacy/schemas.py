from marshmallow import Schema, fields, validate


class NoticeSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(
        min=100, max=20000, error="The privacy notice must be between 100 and 20,000 "
                                  "characters"),
        error_messages={"required": "Enter the privacy notice"})
