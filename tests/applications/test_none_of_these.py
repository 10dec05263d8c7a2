"""'None of these' in a several-choices question cannot be ticked with another option: the
server refuses it with a clear error, and the NHS.UK checkboxes untick the others."""

from __future__ import annotations

import pytest

from tenants.eligibility.validation import validate_questions
from tests.applications.helpers import (
    create_cohort,
    onboard_with_leicestershire_form,
    post_form,
    start_application,
)

STEP = "lived_experience_routes"


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_leicestershire_form(app, "none", "None Of These NHS Trust")


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust)


def test_none_of_these_with_another_option_is_refused_with_a_clear_error(
        client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="none@applicant.example")
    url = f"/trusts/{trust.slug}/apply/step/{STEP}"
    both = post_form(client, url, {"answer": ["gp_referral", "none_of_these"]})
    body = both.get_data(as_text=True)
    assert both.status_code == 400 and "There is a problem" in body
    assert 'Select &#34;None of these&#34; on its own' in body or \
        'Select "None of these" on its own' in body
    assert post_form(client, url, {"answer": ["none_of_these"]}).status_code == 302
    assert post_form(client, url, {"answer": ["gp_referral", "community_team"]}
                     ).status_code == 302


def test_the_checkbox_for_none_of_these_is_exclusive_in_the_markup(client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="markup@applicant.example")
    page = client.get(f"/trusts/{trust.slug}/apply/step/{STEP}").get_data(as_text=True)
    [none_input] = [tag for tag in page.split("<input") if 'value="none_of_these"' in tag]
    assert 'data-behaviour="exclusive"' in none_input
    [gp_input] = [tag for tag in page.split("<input") if 'value="gp_referral"' in tag]
    assert "data-behaviour" not in gp_input
    assert "nhsuk-checkboxes__divider" in page


def test_the_self_check_refuses_the_same_contradiction(client, trust):
    page = f"/trusts/{trust.slug}/eligibility-check"
    response = post_form(client, page, {f"{STEP}.answer": ["cpn_or_social_worker",
                                                           "none_of_these"]})
    assert response.status_code in (200, 400)
    assert "on its own" in response.get_data(as_text=True)


def test_only_a_several_choices_option_may_be_marked_exclusive():
    options = [{"value": "a", "label": "A"}, {"value": "none", "label": "None",
                                               "exclusive": True}]
    ok = [{"key": "q", "type": "multiple_choice", "label": "Q", "options": options}]
    assert validate_questions(ok) == []
    single = [{**ok[0], "type": "single_choice"}]
    assert any("exclusive" in p for p in validate_questions(single))
    junk = [{**ok[0], "options": [{"value": "a", "label": "A", "exclusive": "yes"}]}]
    assert any("exclusive" in p for p in validate_questions(junk))
