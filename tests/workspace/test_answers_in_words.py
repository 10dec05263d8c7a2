"""Coordinators, reviewers and a subject access report see each question's label and the
chosen options' texts, never a stored value such as True, ['gp_referral'] or a key."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.eligibility import service as eligibility
from tenants.eligibility.answers import answer_words, answers_in_words
from tests.applications.helpers import create_cohort, onboard_with_leicestershire_form
from tests.workspace.helpers import make_application, signed_in_client

ANSWERS = {"lived_experience_routes": ["gp_referral", "cpn_or_social_worker"],
           "want_to_work_at_lpt": True, "available_all_training_days": False,
           "understanding_of_peer_support": "Walking alongside someone"}
RAW = ("['gp_referral'", "gp_referral", "True", "False", "Want to work at lpt",
       "Lived experience routes", "want_to_work_at_lpt")


@pytest.fixture(scope="module")
def trust(app):
    """A trust asking Leicestershire's questions (a several-choices question among them)."""
    return onboard_with_leicestershire_form(app, "words", "Words NHS Trust")


@pytest.fixture(scope="module")
def application(app, trust):
    cohort = create_cohort(app, trust, name="Words intake")
    application_id = make_application(app, trust, cohort, name="Sam Words")
    with tenant_context(trust, app):
        version = eligibility.published_version(db.session)
        db.session.execute(update(Application).where(Application.id == application_id).values(
            answers=ANSWERS, rule_set_version_id=version.id))
        db.session.commit()
        reference = db.session.get(Application, application_id).reference
    return cohort, application_id, reference


def _answers_section(html: str) -> str:
    start = html.index('id="answers"')
    return html[start:html.index("</dl>", start)]


def _assert_in_words(section: str) -> None:
    for words in ("Have you used secondary mental health services in any of these ways?",
                  "A specialist referral from a GP; Seeing a CPN or social worker",
                  "Walking alongside someone", ">Yes<", ">No<"):
        assert words in section
    for raw in RAW:
        assert raw not in section


def test_the_application_page_shows_labels_and_option_texts(app, trust, application):
    cohort, application_id, _ = application
    client, _ = signed_in_client(app, trust, "lead")
    html = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/"
                      f"{application_id}").get_data(as_text=True)
    _assert_in_words(_answers_section(html))
    assert "Eligibility: Eligible" in html and "Has lived experience" in html
    assert ">pass<" not in html


def test_the_anonymised_review_page_shows_labels_and_option_texts(app, trust, application):
    cohort, application_id, _ = application
    client, _ = signed_in_client(app, trust, "panel")
    html = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/shortlisting/"
                      f"{application_id}").get_data(as_text=True)
    _assert_in_words(_answers_section(html))
    assert "Has lived experience: Met" in html and "Sam Words" not in html


def test_the_subject_access_report_shows_labels_and_option_texts(app, trust, application):
    _, _, reference = application
    client, _ = signed_in_client(app, trust, "lead")
    html = client.get(f"/trusts/{trust.slug}/coordinator/subject-access/{reference}"
                      ).get_data(as_text=True)
    for words in ("Have you used secondary mental health services in any of these ways?",
                  "A specialist referral from a GP; Seeing a CPN or social worker",
                  "Would you like to work"):
        assert words in html
    assert "gp_referral" not in html and "Want to work at lpt" not in html


def test_every_kind_of_answer_has_words():
    yes_no = {"key": "ok", "type": "yes_no", "label": "OK?"}
    single = {"key": "where", "type": "single_choice", "label": "Where?",
              "options": [{"value": "gp", "label": "Your GP"}]}
    several = {**single, "key": "routes", "type": "multiple_choice"}
    born = {"key": "born", "type": "date", "label": "Date of birth"}
    assert answer_words(yes_no, True) == "Yes" and answer_words(yes_no, False) == "No"
    assert answer_words(single, "gp") == "Your GP"
    assert answer_words(several, ["gp"]) == "Your GP"
    assert answer_words(born, "1985-03-27") == "27 March 1985"
    assert answer_words(several, []) == "Not answered"
    assert answer_words(yes_no, None) == "Not answered"
    rows = answers_in_words([yes_no], {"ok": True, "retired_question": ["a", "b"]})
    assert rows == [{"key": "ok", "label": "OK?", "value": "Yes"},
                    {"key": "retired_question", "label": "A question that is no longer asked",
                     "value": "a; b"}]
    assert answers_in_words([yes_no], {"old": 1}, former_questions=False) == [
        {"key": "ok", "label": "OK?", "value": "Not answered"}]
