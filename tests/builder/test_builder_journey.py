"""A form built in the builder (a branch to an exit page, a number question with a rule),
previewed page by page and made live, is exactly the form applicants meet; an EOI sent
before the change still reads against the questions it was answered on."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.eligibility import routing, service
from tenants.eligibility.service import get_version
from tests.applications.helpers import (
    ELIGIBLE_ANSWERS,
    answer_all,
    post_form,
    start_application,
    submit,
)
from tests.builder.conftest import post
from tests.builder.test_preview import (
    EXIT_TITLE,
    EXIT_WORDS,
    HOURS,
    QUESTION,
    build_draft,
    preview_walk,
)


def _application(app, trust, email: str) -> Application:
    with tenant_context(trust, app):
        return db.session.scalars(select(Application).join(
            Applicant, Applicant.id == Application.applicant_id).where(
            Applicant.email == email)).one()


def build_and_go_live(app, trust, lead, base) -> dict:
    """A one-choice question whose "No" ends the form on an exit page, a number question
    with a rule; previewed page by page from the builder's page, then made live."""
    keys = build_draft(app, trust, lead, base)
    overview = lead.get(base).get_data(as_text=True)
    assert "No applicant can reach" not in overview and "No answer leads" not in overview
    preview_walk(lead, base)
    assert post(lead, base + "/live", page=base).status_code == 302
    return {"question": keys[QUESTION], "exit": keys[EXIT_TITLE], "hours": keys[HOURS]}


def test_applicants_meet_the_built_form_and_old_eois_keep_their_questions(
        app, trust, cohort_id, lead, base, client):
    before = app.test_client()
    start_application(before, trust, cohort_id, email="before@applicant.example")
    answer_all(before, trust)
    assert submit(before, trust).status_code == 302

    keys = build_and_go_live(app, trust, lead, base)
    steps_url = f"/trusts/{trust.slug}/apply/step/"
    start_application(client, trust, cohort_id, email="after@applicant.example")
    for key, value in ELIGIBLE_ANSWERS.items():
        response = post_form(client, steps_url + key, {"answer": value})
    assert response.headers["Location"].endswith(steps_url + keys["question"])
    assert QUESTION in client.get(steps_url + keys["question"]).get_data(as_text=True)

    response = post_form(client, steps_url + keys["question"], {"answer": "no"})
    assert response.headers["Location"].endswith(steps_url + keys["exit"])
    page = client.get(steps_url + keys["exit"]).get_data(as_text=True)
    assert EXIT_TITLE in page and EXIT_WORDS in page and "Samaritans" in page
    assert "Save and continue" not in page  # the form ends here
    check = client.get(f"/trusts/{trust.slug}/apply/check-your-answers")
    assert check.headers["Location"].endswith(steps_url + keys["exit"])

    response = post_form(client, steps_url + keys["question"], {"answer": "yes"})
    assert response.headers["Location"].endswith(steps_url + keys["hours"])
    assert HOURS in client.get(steps_url + keys["hours"]).get_data(as_text=True)
    response = post_form(client, steps_url + keys["hours"], {"answer": "lots"})
    assert response.status_code == 400 and "Enter a number" in response.get_data(as_text=True)
    response = post_form(client, steps_url + keys["hours"], {"answer": "8"})
    assert response.headers["Location"].endswith(steps_url + "disability-confident")
    answers = {**ELIGIBLE_ANSWERS, keys["question"]: "yes", keys["hours"]: "8"}
    answer_all(client, trust, answers)
    assert submit(client, trust).status_code == 302

    old, new = (_application(app, trust, email) for email in
                ("before@applicant.example", "after@applicant.example"))
    assert new.eligibility_outcome == "eligible"
    assert new.rule_set_version_id != old.rule_set_version_id
    with tenant_context(trust, app):
        live = get_version(db.session, new.rule_set_version_id)
        old_form = get_version(db.session, old.rule_set_version_id).questions
        # Exactly the built form: its pages in the order the applicant met them.
        assert routing.path(live.questions, new.answers) == [*ELIGIBLE_ANSWERS, keys["question"],
                                                             keys["hours"]]
        assert live.id == service.published_version(db.session).id
    assert {r["reason"] for r in new.eligibility_results} >= {"At least 6 hours a week"}
    coordinator = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications/"
    old_page = lead.get(coordinator + str(old.id)).get_data(as_text=True)
    new_page = lead.get(coordinator + str(new.id)).get_data(as_text=True)
    assert QUESTION not in old_page and HOURS not in old_page
    assert QUESTION in new_page and HOURS in new_page
    old_labels = [q["label"] for q in old_form]
    assert all(label in old_page for label in old_labels)
