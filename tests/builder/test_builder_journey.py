"""A form built in the builder is exactly the form applicants meet once it is live; an EOI
sent before the change still reads against the questions it was answered on."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.eligibility import builder
from tenants.eligibility.service import get_version
from tests.applications.helpers import (
    ELIGIBLE_ANSWERS,
    answer_all,
    post_form,
    start_application,
    submit,
)
from tests.builder.conftest import post

QUESTION = "Have you used secondary mental health services?"
EXIT_TITLE = "This training is not for you yet"
EXIT_WORDS = "You need to have used secondary mental health services to join this training."


def _application(app, trust, email: str) -> Application:
    with tenant_context(trust, app):
        return db.session.scalars(select(Application).join(
            Applicant, Applicant.id == Application.applicant_id).where(
            Applicant.email == email)).one()


def build_and_go_live(app, trust, lead, base) -> dict:
    """A one-choice question whose "No" ends the form on an exit page, and a rule on it."""
    post(lead, base + "/start", page=base)
    for fields, kind in (({"type": "single_choice", "label": QUESTION, "options": "Yes\nNo",
                           "required": "yes"}, "question"),
                         ({"type": "exit", "label": EXIT_TITLE, "body": EXIT_WORDS}, "exit")):
        response = post(lead, base + "/pages/new", fields, page=f"{base}/pages/new?kind={kind}")
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with tenant_context(trust, app):
        pages = builder.draft(db.session).questions
    keys = {p["label"]: p["key"] for p in pages}
    question, exit_page = keys[QUESTION], keys[EXIT_TITLE]
    routes = f"{base}/pages/{question}/routes"
    assert post(lead, routes, {"route-no": exit_page}, page=routes).status_code == 302
    rules = f"{base}/rules"
    response = post(lead, rules, {"question": question, "test": "is_one_of", "chosen": "yes",
                                  "reason": "Has used secondary mental health services"},
                    page=f"{rules}?question={question}")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    overview = lead.get(base).get_data(as_text=True)
    assert "No applicant can reach" not in overview and "No answer leads" not in overview
    assert post(lead, base + "/live", page=base).status_code == 302
    return {"question": question, "exit": exit_page}


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
    assert response.headers["Location"].endswith(steps_url + "disability-confident")
    answer_all(client, trust, {**ELIGIBLE_ANSWERS, keys["question"]: "yes"})
    assert submit(client, trust).status_code == 302

    old, new = (_application(app, trust, email) for email in
                ("before@applicant.example", "after@applicant.example"))
    assert new.eligibility_outcome == "eligible"
    assert new.rule_set_version_id != old.rule_set_version_id
    coordinator = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications/"
    old_page = lead.get(coordinator + str(old.id)).get_data(as_text=True)
    new_page = lead.get(coordinator + str(new.id)).get_data(as_text=True)
    assert QUESTION not in old_page and QUESTION in new_page
    with tenant_context(trust, app):
        old_form = get_version(db.session, old.rule_set_version_id).questions
    old_labels = [q["label"] for q in old_form]
    assert all(label in old_page for label in old_labels)
