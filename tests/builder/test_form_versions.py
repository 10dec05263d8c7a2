"""An EOI is pinned to the form version it starts on: it is walked and judged on that
version, and read against it ever after (coordinator's page, applicant's account, subject
access), whatever later versions reword or remove."""

from __future__ import annotations

import re

import psycopg.errors
import pytest
from sqlalchemy.exc import DBAPIError

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.eligibility import builder, service
from tenants.eligibility.models import EligibilityVersion
from tests.applications.helpers import (
    ELIGIBLE_ANSWERS,
    answer_all,
    post_form,
    sign_in_link,
    start_application,
    submit,
    use_sign_in_link,
)
from tests.builder.conftest import post
from tests.builder.test_builder_journey import _application

OLD_WORDING = "Are you available to attend all of the training days?"
NEW_WORDING = "Can you come to every one of the training days?"
REMOVED = "Are you willing to share your own lived experience to help others?"
HOURS = "How many hours a week could you give to the training?"


def go_live_with_version_2(app, trust, lead, base) -> str:
    """Reword one question, remove another (and its rule), add a number question with a
    rule; make it live. Returns the new question's key."""
    post(lead, base + "/start", page=base)
    rules = f"{base}/rules"
    assert post(lead, f"{rules}/willing_to_share_experience/remove",
                page=rules).status_code == 302
    assert post(lead, f"{base}/pages/willing_to_share_experience/remove",
                page=base).status_code == 302
    edit = f"{base}/pages/available_all_training_days"
    assert post(lead, edit, {"type": "yes_no", "label": NEW_WORDING, "required": "yes"},
                page=edit).status_code == 302
    new = f"{base}/pages/new"
    assert post(lead, new, {"type": "number", "label": HOURS, "required": "yes"},
                page=new + "?kind=question").status_code == 302
    with tenant_context(trust, app):
        key = next(p["key"] for p in builder.draft(db.session).questions if p["label"] == HOURS)
    response = post(lead, rules, {"question": key, "test": "number_at_least", "value": "6",
                                  "reason": "You need to give at least 6 hours a week"},
                    page=f"{rules}?question={key}")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert post(lead, base + "/live", page=base).status_code == 302
    return key


def _applicant_answers_page(app, trust, email: str) -> str:
    """The applicant signs in and follows "See the answers you sent" from their account."""
    client = app.test_client()
    assert use_sign_in_link(client, trust, sign_in_link(app, trust, email)).status_code == 302
    home = client.get(f"/trusts/{trust.slug}/account/").get_data(as_text=True)
    link = re.search(r'href="([^"]+/answers)">See the answers you sent', home)
    assert link, "the account links to the answers sent"
    return client.get(link[1]).get_data(as_text=True)


def test_a_sent_eoi_reads_against_its_own_version_after_a_new_one_goes_live(
        app, trust, cohort_id, lead, base, client):
    start_application(client, trust, cohort_id, email="sent@applicant.example")
    answer_all(client, trust)
    assert submit(client, trust).status_code == 302
    sent = _application(app, trust, "sent@applicant.example")

    go_live_with_version_2(app, trust, lead, base)
    with tenant_context(trust, app):
        live = service.published_version(db.session)
        assert live.id != sent.rule_set_version_id
        assert REMOVED not in [q["label"] for q in live.questions]

    coordinator = lead.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/"
                           f"applications/{sent.id}").get_data(as_text=True)
    account = _applicant_answers_page(app, trust, "sent@applicant.example")
    subject = lead.get(f"/trusts/{trust.slug}/coordinator/subject-access/"
                       f"{sent.reference}").get_data(as_text=True)
    for page in (coordinator, account, subject):
        assert OLD_WORDING in page and REMOVED in page
        assert NEW_WORDING not in page and HOURS not in page
        assert "A question that is no longer asked" not in page
    assert re.search(re.escape(REMOVED) + r"</dt>\s*<dd[^>]*>Yes</dd>", account)


def test_an_eoi_started_on_one_version_and_sent_after_the_next_is_all_the_first(
        app, trust, cohort_id, lead, base, client):
    start_application(client, trust, cohort_id, email="midway@applicant.example")
    steps_url = f"/trusts/{trust.slug}/apply/step/"
    assert post_form(client, steps_url + "lived_experience", {"answer": "yes"}
                     ).status_code == 302
    with tenant_context(trust, app):
        first = service.published_version(db.session)
        first_id, first_rules = first.id, [r["key"] for r in first.rule_set["rules"]]

    hours = go_live_with_version_2(app, trust, lead, base)
    page = client.get(steps_url + "available_all_training_days").get_data(as_text=True)
    assert OLD_WORDING in page and NEW_WORDING not in page
    assert client.get(steps_url + hours).status_code == 404  # not a page of its version
    response = post_form(client, steps_url + "available_all_training_days", {"answer": "yes"})
    assert response.headers["Location"].endswith(steps_url + "willing_to_share_experience")
    answer_all(client, trust, {"willing_to_share_experience": "yes"})
    assert submit(client, trust).status_code == 302

    sent = _application(app, trust, "midway@applicant.example")
    assert sent.rule_set_version_id == first_id
    assert [r["key"] for r in sent.eligibility_results] == first_rules
    assert sent.eligibility_outcome == "eligible"
    coordinator = lead.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/"
                           f"applications/{sent.id}").get_data(as_text=True)
    assert OLD_WORDING in coordinator and REMOVED in coordinator and HOURS not in coordinator

    newcomer = app.test_client()
    start_application(newcomer, trust, cohort_id, email="newcomer@applicant.example")
    assert newcomer.get(steps_url + "willing_to_share_experience").status_code == 404
    answers = {**ELIGIBLE_ANSWERS, hours: "4"}
    del answers["willing_to_share_experience"]
    answer_all(newcomer, trust, answers)
    assert submit(newcomer, trust).status_code == 302
    judged = _application(app, trust, "newcomer@applicant.example")
    assert judged.rule_set_version_id != first_id
    assert judged.eligibility_outcome == "not_eligible"
    assert {r["key"]: r["outcome"] for r in judged.eligibility_results}[
        "you_need_to_give_at_least_6_hours_a_week"] == "fail"


def test_a_live_version_can_neither_be_changed_nor_deleted_but_a_draft_can(app, trust):
    with tenant_context(trust, app):
        live_id = service.published_version(db.session).id
        draft = builder.start_draft(db.session)
        draft.questions = [*draft.questions, {"key": "extra", "type": "short_text",
                                              "label": "Extra", "required": False}]
        db.session.commit()
    for change in (lambda v: setattr(v, "questions", []),
                   lambda v: setattr(v, "rule_set", {"rules": []}),
                   db.session.delete):
        with tenant_context(trust, app):
            change(db.session.get(EligibilityVersion, live_id))
            with pytest.raises(DBAPIError) as refused:
                db.session.flush()
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege)
            db.session.rollback()
    with tenant_context(trust, app):
        service.publish(db.session, db.session.get(EligibilityVersion, live_id))  # allowed
        builder.discard(db.session, builder.draft(db.session))
        db.session.commit()
        assert service.published_version(db.session).id == live_id
