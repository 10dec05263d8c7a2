"""Input of the teams, posts and matching pages and API (marshmallow at the edge)."""

from __future__ import annotations

from marshmallow import fields, validate

from tenants.applications.schemas import Lenient, choice, text
from tenants.infosessions.schemas import ONLINE_URL as WEB_ADDRESS
from tenants.posts.models import POST_ROLES, TEAM_KINDS

TEAM_KIND_LABELS = {"trust_team": "A team or service of the trust",
                    "partner_organisation": "A partner organisation",
                    "volunteering": "Volunteering (for example, the Recovery College)"}
ROLE_LABELS = {"psw": "Peer support worker", "other": "Another role"}
STATUS_LABELS = {"planned": "Planned", "advertised": "Advertised", "filled": "Filled",
                 "closed": "Closed"}
# A coordinator sets these; "filled" comes only from a placement.
SETTABLE_STATUSES = ("planned", "advertised", "closed")
ID = validate.Range(min=1, max=2**62)
ADVERT_ERROR = "Enter the advert's web address, starting https://"


def _id(required_message: str) -> fields.Integer:
    return fields.Integer(required=True, strict=False, validate=ID,
                          error_messages={"required": required_message,
                                          "invalid": required_message})


def _hours(message: str) -> fields.Float:
    # A float (stored rounded to a tenth): the API document states its range as numbers.
    return fields.Float(load_default=None, validate=validate.Range(min=0.5, max=80,
                                                                   error=message),
                        error_messages={"invalid": message})


class TeamSchema(Lenient):
    name = text("Enter the name of the team or organisation", max_length=200,
                too_long="The name must be 200 characters or fewer")
    locality = text(max_length=120, too_long="The locality must be 120 characters or fewer")
    kind = choice([(k, k) for k in TEAM_KINDS], "Choose what kind of team it is", required=True)


class PostSchema(Lenient):
    team_id = _id("Choose the team")
    title = text("Enter the job title", max_length=200,
                 too_long="The job title must be 200 characters or fewer")
    role = choice([(r, r) for r in POST_ROLES], "Choose the role", required=True)
    hours_per_week = _hours("Enter the hours a week as a number from 1 to 80, like 22.5")
    band = text(max_length=20, too_long="The band must be 20 characters or fewer")
    status = fields.String(load_default="planned", validate=validate.OneOf(
        SETTABLE_STATUSES, error="Choose planned, advertised or closed"))
    advert_url = fields.Url(load_default=None, schemes={"https"}, validate=[
        validate.Length(max=500, error=ADVERT_ERROR),
        validate.Regexp(WEB_ADDRESS, error=ADVERT_ERROR)],
        metadata={"pattern": WEB_ADDRESS}, error_messages={"invalid": ADVERT_ERROR})


class PostStatusSchema(Lenient):
    status = fields.String(required=True, validate=validate.OneOf(
        SETTABLE_STATUSES, error="Choose planned, advertised or closed"),
        error_messages={"required": "Choose planned, advertised or closed"})


class PreferenceSchema(Lenient):
    # "person" on the page, which also has the interest form's application_id field.
    application_id = fields.Integer(required=True, strict=False, validate=ID, data_key="person",
                                    error_messages={"required": "Choose a trainee",
                                                    "invalid": "Choose a trainee"})
    wants_work = fields.Boolean(required=True, truthy={"yes", True}, falsy={"no", False},
                                error_messages={"required": "Select yes if they want work",
                                                "invalid": "Select yes if they want work"})
    locality = text(max_length=120, too_long="The locality must be 120 characters or fewer")
    max_hours_per_week = _hours("Enter the most hours a week as a number from 1 to 80")


class InterestSchema(Lenient):
    application_id = _id("Choose a trainee")
    post_id = _id("Choose a post")


class CandidacyActionSchema(Lenient):
    action = fields.String(required=True, validate=validate.OneOf(
        ("interview", "place", "not_placed"), error="Choose an action"),
        error_messages={"required": "Choose an action"})
    interview_at = fields.DateTime(load_default=None, error_messages={
        "invalid": "Enter the interview date and time, like 2027-03-04T10:00"})
    placed_on = fields.Date(load_default=None, error_messages={
        "invalid": "Enter the start date, like 2027-03-04"})
