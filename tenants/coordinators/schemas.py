from marshmallow import Schema, fields, validate


class SignInSchema(Schema):
    email = fields.Email(required=True, error_messages={
        "required": "Enter your email address",
        "invalid": "Enter an email address in the correct format, like name@example.com"})
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024),
                             error_messages={"required": "Enter your password"})
