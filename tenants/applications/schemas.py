"""Marshmallow schemas for the applicant's forms and the applications API.

Every text field refuses control characters (PostgreSQL cannot store NUL, and nobody types
them), and every schema ignores fields it does not know, so odd posts get a clear error
summary instead of a 500.
"""

from __future__ import annotations

import datetime as dt
import re

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from peerpath.forms import single_line
from tenants.applications import pipeline
from tenants.applications.models import HEARD_VIA
from tenants.eligibility.answers import is_exclusive

CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# Unpaired UTF-16 surrogates are refused too, but are not Unicode characters at all, so a JSON
# Schema pattern cannot name them (the API document's validators reject such a pattern as
# invalid, and then ignore it): the published patterns below are the rest of the rule.
CONTROL = re.compile(f"[{CONTROL_CLASS}\\ud800-\\udfff]")
# The same rules as patterns for the OpenAPI document (the API's fuzzing sends what is valid).
NO_CONTROL = f"^[^{CONTROL_CLASS}]*$"
SOMETHING = f"^[^{CONTROL_CLASS}]*[^\\s{CONTROL_CLASS}][^{CONTROL_CLASS}]*$"
PHONE = re.compile(r"^\+?[0-9 ()-]{7,25}$")
EMAIL_ERRORS = {"required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com"}


def no_control_characters(value: str) -> None:
    if CONTROL.search(value):
        raise ValidationError("Remove the special characters from your answer")


def text(required_message: str | None = None, *, max_length: int = 500,
         too_long: str | None = None, one_line: bool = False) -> fields.String:
    """A trimmed text field; blank counts as missing when `required_message` is given."""
    checks = [validate.Length(max=max_length, error=too_long or
                              f"Your answer must be {max_length} characters or fewer"),
              no_control_characters, *([single_line] if one_line else [])]
    if required_message:
        checks.insert(0, validate.Length(min=1, error=required_message))
        return fields.String(required=True, validate=checks,
                             error_messages={"required": required_message},
                             metadata={"pattern": SOMETHING})
    return fields.String(load_default=None, validate=checks, metadata={"pattern": NO_CONTROL})


class Lenient(Schema):
    class Meta:
        unknown = EXCLUDE

    def load(self, data, **kwargs):  # strip spaces people type by accident
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
            data = {k: v for k, v in data.items() if v != ""}  # blank reads as not answered
        return super().load(data, **kwargs)


class YourDetailsSchema(Lenient):
    name = text("Enter your full name", max_length=200, one_line=True,
                too_long="Your name must be 200 characters or fewer")
    email = fields.Email(required=True, validate=[validate.Length(max=320), no_control_characters],
                         error_messages=EMAIL_ERRORS)
    phone = fields.String(load_default=None, validate=[
        validate.Regexp(PHONE, error="Enter a phone number, like 01632 960 001 or 07700 900 982")])


class SignInSchema(Lenient):
    email = fields.Email(required=True, validate=[validate.Length(max=320), no_control_characters],
                         error_messages=EMAIL_ERRORS)


CHANNEL_CHOICES = (("email", "Email"), ("phone", "Phone call"), ("text", "Text message"),
                   ("letter", "Letter"))
YES_NO = (("yes", "Yes"), ("no", "No"))


def choice(values, message: str, *, required: bool = False) -> fields.String:
    kwargs = {"required": True, "error_messages": {"required": message}} if required else \
        {"load_default": None}
    return fields.String(validate=validate.OneOf([v for v, _ in values], error=message), **kwargs)


class CommunicationNeedsSchema(Lenient):
    easy_read = fields.Boolean(load_default=False, truthy={"yes"}, falsy={"no"})
    large_print = fields.Boolean(load_default=False, truthy={"yes"}, falsy={"no"})
    preferred_channel = choice(CHANNEL_CHOICES, "Select how you would like us to contact you")
    texts_ok = choice(YES_NO, "Select yes or no")
    voicemail_ok = choice(YES_NO, "Select yes or no")
    other = text(max_length=1000, too_long="Your answer must be 1000 characters or fewer")


class ContactDetailsSchema(CommunicationNeedsSchema):
    name = YourDetailsSchema._declared_fields["name"]
    phone = YourDetailsSchema._declared_fields["phone"]

    def load(self, data, **kwargs):
        loaded = super().load(data, **kwargs)
        needs = {k: loaded.pop(k) for k in list(loaded) if k not in ("name", "phone")}
        return {**loaded, "communication_needs": needs}


DISABILITY_CONFIDENT = (("yes", "Yes"), ("no", "No"), ("prefer_not_to_say", "Prefer not to say"))


class DisabilityConfidentSchema(Lenient):
    disability_confident = choice(DISABILITY_CONFIDENT, "Select yes, no or prefer not to say")


# In the applicant's words; the reports use shorter names (tenants.reports.service).
HEARD_VIA_CHOICES = tuple(zip(HEARD_VIA, (
    "At a drop-in information session", "At a Recovery College",
    "From my care team or care coordinator", "From a poster or leaflet", "On social media",
    "On the NHS or trust website", "From a friend or family member", "Somewhere else"),
    strict=True))
HEARD_VIA_ERROR = "Select where you heard about the training"


class HeardViaSchema(Lenient):
    heard_via = choice(HEARD_VIA_CHOICES, HEARD_VIA_ERROR)


PREFER_NOT = ("prefer_not_to_say", "Prefer not to say")
EQUALITY_QUESTIONS = (
    ("age_group", "What is your age group?",
     (("16_24", "16 to 24"), ("25_34", "25 to 34"), ("35_44", "35 to 44"), ("45_54", "45 to 54"),
      ("55_64", "55 to 64"), ("65_plus", "65 or over"), PREFER_NOT)),
    ("gender", "What is your gender?",
     (("woman", "Woman"), ("man", "Man"), ("non_binary", "Non-binary"),
      ("self_described", "I describe myself another way"), PREFER_NOT)),
    ("ethnic_group", "What is your ethnic group?",
     (("asian", "Asian or Asian British"), ("black", "Black, Black British, Caribbean or African"),
      ("mixed", "Mixed or multiple ethnic groups"), ("white", "White"),
      ("other", "Another ethnic group"), PREFER_NOT)),
    ("disability", "Do you consider yourself to have a disability or long-term condition?",
     (("yes", "Yes"), ("no", "No"), PREFER_NOT)),
    ("sexual_orientation", "What is your sexual orientation?",
     (("straight", "Heterosexual or straight"), ("gay_lesbian", "Gay or lesbian"),
      ("bisexual", "Bisexual"), ("other", "Another sexual orientation"), PREFER_NOT)),
)
EqualitySchema = type("EqualitySchema", (Lenient,), {
    key: choice(options, "Select one of the options, or prefer not to say")
    for key, _, options in EQUALITY_QUESTIONS})


class ReasonSchema(Lenient):
    reason_id = fields.Integer(load_default=None, strict=False, validate=validate.Range(
        min=1, max=2**62, error="Choose a reason from the list"),
        error_messages={"invalid": "Choose a reason from the list"})
    reason = text(max_length=2000, too_long="Your reason must be 2000 characters or fewer")


class TransitionSchema(Schema):
    """POST /applications/<id>/transitions (JSON)."""

    to = fields.String(required=True, validate=validate.OneOf(pipeline.ALL_STAGES))
    reason = fields.String(load_default=None, validate=[validate.Length(max=2000),
                                                        no_control_characters],
                           metadata={"pattern": NO_CONTROL})
    # Needed for a decision that carries a structured reason (GET /reasons lists them).
    reason_id = fields.Integer(load_default=None, strict=True,
                               validate=validate.Range(min=1, max=2**62))
    # The stage's message to the applicant (applications.reactions) goes unless this is false.
    send_message = fields.Boolean(load_default=True)


# Answer types the builder offers beyond plain text, each with the check its words need.
TYPED_ANSWER_CHECKS = {
    "email": (validate.Email(error=EMAIL_ERRORS["invalid"]),),
    "phone": (validate.Regexp(PHONE, error="Enter a phone number, like 01632 960 001 or "
                                           "07700 900 982"),),
    "number": (validate.Regexp(r"^-?\d+(\.\d+)?$", error="Enter a number, like 3"),),
}


def answer_schema(question: dict) -> Schema:
    """A schema that reads one configured question's form fields into its stored answer."""
    kind, required = question["type"], bool(question.get("required"))
    values = [o["value"] for o in question.get("options", ())]
    if kind == "yes_no":
        field = choice(YES_NO, "Select yes or no", required=required)
    elif kind == "single_choice":
        field = choice([(v, v) for v in values], "Select one option", required=required)
    elif kind == "multiple_choice":
        field = fields.List(fields.String(validate=validate.OneOf(
            values, error="Select from the options shown")),
            required=required, error_messages={"required": "Select at least one option"})
        if required:
            field.validators.append(validate.Length(min=1, error="Select at least one option"))
        field.validators.append(_on_its_own(question))
    elif kind == "date":
        return DateAnswerSchema(required=required, what=_date_name(question))
    else:
        limit = 5000 if kind in ("long_text", "address") else 500
        field = text("Enter your answer" if required else None, max_length=limit)
        field.validators.extend(TYPED_ANSWER_CHECKS.get(kind, ()))
    return type("AnswerSchema", (Lenient,), {"answer": field})()


def _on_its_own(question: dict):
    """Refuses an exclusive option ("None of these") ticked together with another one."""
    exclusive = {o["value"]: o["label"] for o in question.get("options", ())
                 if is_exclusive(o)}

    def check(chosen: list) -> None:
        for value in set(chosen) & set(exclusive):
            if len(set(chosen)) > 1:
                raise ValidationError(f'Select "{exclusive[value]}" on its own, or untick it '
                                      "and select the options that apply")
    return check


def _date_name(question: dict) -> str:
    """How an error message names the date asked for: "your date of birth" or "the date"."""
    words = f"{question.get('key', '')} {question.get('label', '')}".lower()
    return "your date of birth" if "birth" in words or "dob" in words.split() else "the date"


EXAMPLE_DATE = "for example 27 3 1985"


class DateAnswerSchema(Lenient):
    day = fields.Integer(load_default=None, strict=False)
    month = fields.Integer(load_default=None, strict=False)
    year = fields.Integer(load_default=None, strict=False)

    def __init__(self, *, required: bool, what: str = "the date"):
        super().__init__()
        self.required, self.what = required, what

    def load(self, data, **kwargs):
        data = {key.removeprefix("answer-"): value for key, value in data.items()}
        not_real = {"answer": [f"{self.what[0].upper()}{self.what[1:]} must be a real date, "
                               f"{EXAMPLE_DATE}"]}
        try:
            parts = super().load(data, **kwargs)
        except ValidationError as exc:
            raise ValidationError(not_real) from exc
        given = [parts[k] for k in ("day", "month", "year") if parts[k] is not None]
        if not given:
            if self.required:
                raise ValidationError({"answer": [f"Enter {self.what}, {EXAMPLE_DATE}"]})
            return {"answer": None}
        if len(given) < 3:
            raise ValidationError({"answer": [f"Enter {self.what} with a day, month and year, "
                                              f"{EXAMPLE_DATE}"]})
        try:
            value = dt.date(parts["year"], parts["month"], parts["day"])
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError(not_real) from exc
        if not 1900 <= value.year <= dt.date.today().year + 5:
            raise ValidationError({"answer": ["Enter a year between 1900 and now"]})
        return {"answer": value.isoformat()}
