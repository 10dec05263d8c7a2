from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from peerpath.forms import single_line
from tenants.coordinators.models import GRANTS, ROLES

EMAIL_ERRORS = {
    "required": "Enter an email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}
PASSWORD_MIN = 12


class SignInSchema(Schema):
    email = fields.Email(required=True, error_messages={
        "required": "Enter your email address", "invalid": EMAIL_ERRORS["invalid"]})
    password = fields.String(required=True, validate=validate.Length(min=1, max=1024),
                             error_messages={"required": "Enter your password"})


class CodeSchema(Schema):
    """The 6-digit code from the authenticator app (spaces allowed, as apps show them)."""

    code = fields.String(required=True, validate=validate.Regexp(
        r"^\s*(\d\s*){6}$", error="Enter the 6-digit code from your authenticator app"),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"})


class RecoveryCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(
        r"^[\sA-Za-z0-9-]{10,20}$", error="Enter a recovery code, like abcde-23456"),
        error_messages={"required": "Enter a recovery code"})


class SetPasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(
        min=PASSWORD_MIN, max=1024,
        error=f"Password must be {PASSWORD_MIN} characters or more"),
        error_messages={"required": "Enter a password"})
    password_again = fields.String(required=True,
                                   error_messages={"required": "Enter the password again"})

    @validates_schema
    def same_twice(self, data, **_kwargs):
        if "password" in data and data.get("password_again") != data["password"]:
            raise ValidationError("The passwords do not match", "password_again")


class RoleField(fields.String):
    def __init__(self, **kwargs):
        super().__init__(required=True, validate=validate.OneOf(ROLES, error="Select a role"),
                         error_messages={"required": "Select a role"}, **kwargs)


class InviteSchema(Schema):
    display_name = fields.String(required=True, validate=[validate.Length(
        max=200, error="Enter a name of 200 characters or fewer"), single_line],
        error_messages={"required": "Enter their name"})
    email = fields.Email(required=True, validate=validate.Length(max=320),
                         error_messages=EMAIL_ERRORS)
    role = RoleField()

    @pre_load
    def strip(self, data, **_kwargs):
        """Trim; a blank field counts as missing, so it gets the "Enter ..." message."""
        stripped = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return {k: v for k, v in stripped.items() if v != ""}


class ChangeRoleSchema(Schema):
    role = RoleField()


class GrantsSchema(Schema):
    """The per-person permissions a lead gives one coordinator (none ticked: none given)."""

    grants = fields.List(fields.String(validate=validate.OneOf(
        GRANTS, error="Choose permissions from the list")), load_default=list)
