"""Error messages say what to do in the applicant's (or coordinator's) words: never
marshmallow's own "Not a valid string." or "Missing data for required field." on a page."""

from __future__ import annotations

import re

import pytest
from marshmallow import Schema, ValidationError, fields
from werkzeug.datastructures import MultiDict

from peerpath.extensions import db
from peerpath.forms import MARSHMALLOW_WORDS, flatten_errors, in_plain_words
from peerpath.tenancy import tenant_context
from tenants.eligibility import defaults
from tenants.eligibility import service as eligibility
from tests.applications.helpers import (
    create_cohort,
    csrf_from,
    onboard_trust,
    post_form,
    start_application,
)
from tests.workspace.helpers import signed_in_client

MARSHMALLOW_TEXT = ("Not a valid", "Missing data for required field", "Field may not be null",
                    "Unknown field", "Invalid input type", "Invalid value.", "Must be one of:",
                    "Length must be", "Shorter than minimum", "String does not match")
COORDINATOR_FORMS = ("coordinator/team/invite", "coordinator/settings/courses/new",
                     "coordinator/settings/cohorts/new", "coordinator/settings/drop-ins/new",
                     "coordinator/settings/notifications", "coordinator/subject-access",
                     "coordinator/settings/eligibility/new")
APPLICANT_FORMS = ("apply/{cohort}/your-details", "eligibility-check", "account/sign-in")


@pytest.fixture(scope="module")
def trust(app):
    tenant = onboard_trust(app, "words", "Plain Words NHS Trust")
    questions, rules = defaults.default_questions_and_rules()
    questions.append({"key": "date_of_birth", "type": "date", "label": "What is your date of "
                      "birth?", "required": True})
    with tenant_context(tenant, app):
        eligibility.save_version(db.session, questions, rules, publish=True)
        db.session.commit()
    return tenant


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust)


def assert_plain(body: str) -> None:
    for text in MARSHMALLOW_TEXT:
        assert text not in body, f"marshmallow's own words on the page: {text!r}"


def field_names(html: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', html)
    return [n for n in dict.fromkeys(names) if n != "csrf_token"]


def post_every_field_twice(client, url: str):
    """Each field sent twice with odd values: a list where a schema expects one value."""
    page = client.get(url)
    assert page.status_code == 200, url
    names = field_names(page.get_data(as_text=True))
    assert names, url
    data = [(name, value) for name in names for value in ("x", "\u00e9\u00e9")]
    return client.post(url, data=MultiDict([*data, ("csrf_token", csrf_from(page))]))


@pytest.mark.parametrize("path", COORDINATOR_FORMS)
def test_a_coordinator_form_never_shows_marshmallow_words(app, trust, path):
    client, _ = signed_in_client(app, trust, "lead")
    response = post_every_field_twice(client, f"/trusts/{trust.slug}/{path}")
    assert response.status_code in (200, 302, 303, 400, 422), response.status_code
    assert_plain(response.get_data(as_text=True))


@pytest.mark.parametrize("path", APPLICANT_FORMS)
def test_an_applicant_form_never_shows_marshmallow_words(client, trust, cohort_id, path):
    response = post_every_field_twice(client, f"/trusts/{trust.slug}/" +
                                      path.format(cohort=cohort_id))
    assert response.status_code in (200, 302, 303, 400, 422), response.status_code
    assert_plain(response.get_data(as_text=True))


def test_a_date_of_birth_error_says_what_to_do_with_an_example(client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="born@applicant.example")
    url = f"/trusts/{trust.slug}/apply/step/date_of_birth"
    blank = post_form(client, url, {}).get_data(as_text=True)
    assert "Enter your date of birth, for example 27 3 1985" in blank
    partial = post_form(client, url, {"answer-day": "27", "answer-year": "1985"})
    assert "Enter your date of birth with a day, month and year" in partial.get_data(
        as_text=True)
    unreal = post_form(client, url, {"answer-day": "31", "answer-month": "2",
                                     "answer-year": "1985"}).get_data(as_text=True)
    assert "Your date of birth must be a real date, for example 27 3 1985" in unreal
    junk = post_form(client, url, {"answer-day": "soon", "answer-month": ["1", "2"],
                                   "answer-year": "1985"})
    assert junk.status_code == 400
    assert_plain(junk.get_data(as_text=True))


def test_marshmallows_own_words_are_replaced_by_what_to_do():
    class Form(Schema):
        name = fields.String(required=True)
        places = fields.Integer(required=True, error_messages={"required": "Enter the places"})
        starts_on = fields.Date(metadata={"label": "the start date"})
        email = fields.Email()
        days = fields.List(fields.String())

    try:
        Form().load({"name": ["a", "b"], "starts_on": "soon", "email": "no", "days": "x",
                     "surprise": 1})
    except ValidationError as exc:
        errors = flatten_errors(in_plain_words(Form(), exc.messages))
    assert errors == {
        "name": "Enter the name", "places": "Enter the places",
        "starts_on": "Enter the start date as a real date, for example 27 3 1985",
        "email": "Enter an email address in the correct format, like name@example.com",
        "days": "Select the days from the options shown",
        "surprise": "Something in the form could not be read: check your answers and try "
                    "again"}
    assert not any(MARSHMALLOW_WORDS.match(message) for message in errors.values())
