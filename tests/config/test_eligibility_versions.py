"""Questions and rules as versions: saving, refusing bad ones, previewing, publishing."""

from __future__ import annotations

import html
import json

import pytest

from peerpath.extensions import db
from tenants.eligibility import defaults, service
from tenants.eligibility.rules import ELIGIBLE, NOT_ELIGIBLE, InvalidRuleSet
from tests.config.conftest import post_form


def test_a_new_trust_starts_with_published_default_rules(in_trust):
    with in_trust():
        version_id, evaluation = service.evaluate_for_cohort(db.session, {
            "lived_experience": True, "available_all_training_days": True,
            "willing_to_share_experience": True})
        assert evaluation.outcome == ELIGIBLE
        assert service.get_version(db.session, version_id).published_at is not None


def test_an_edit_is_a_new_draft_and_publishing_it_changes_the_judging_version(in_trust):
    questions, rule_set = defaults.norfolk_suffolk_questions_and_rules()
    with in_trust():
        before = service.published_version(db.session)
        draft = service.save_version(db.session, questions, rule_set, note="NSFT rules")
        db.session.commit()
        assert draft.number > before.number and draft.published_at is None
        assert service.published_version(db.session).id == before.id
        service.publish(db.session, draft)
        db.session.commit()
        version_id, evaluation = service.evaluate_for_cohort(db.session, {
            "lived_experience": False, "available_all_course_days": True,
            "willing_to_use_experience": True, "previous_psw_training": "no"})
        assert version_id == draft.id and evaluation.outcome == NOT_ELIGIBLE
        assert [r["outcome"] for r in evaluation.results] == ["fail", "pass", "pass"]
        service.publish(db.session, before)  # going back is publishing the older version
        db.session.commit()
        assert service.evaluate_for_cohort(db.session, {})[0] == before.id


QUESTIONS = [{"key": "lived", "type": "yes_no", "label": "Lived experience?"},
             {"key": "routes", "type": "multiple_choice", "label": "Routes",
              "options": [{"value": "gp", "label": "GP"}]}]


@pytest.mark.parametrize(("rule_set", "named"), [
    ({"rules": [{"key": "r", "reason": "x", "when": {"answer": "livd", "is": True}}]},
     "unknown question 'livd'"),
    ({"rules": [{"key": "r", "reason": "x", "when": {"answer": "lived", "equals": "yes"}}]},
     "lived"),
    ({"rules": [{"key": "r", "reason": "x", "when": {"any": []}}]}, "any"),
    ({"rules": [{"key": "r", "reason": "x", "when": {"ref": "a"}}],
      "definitions": {"a": {"ref": "b"}, "b": {"ref": "a"}}}, "cycle"),
])
def test_invalid_rule_sets_are_refused_with_a_message_naming_the_problem(in_trust, rule_set,
                                                                          named):
    with in_trust(), pytest.raises(InvalidRuleSet) as refused:
        service.save_version(db.session, QUESTIONS, rule_set)
    assert any(named in problem for problem in refused.value.problems), refused.value.problems


def test_a_lead_saves_a_version_on_the_page_and_bad_json_keeps_what_was_typed(lead, tenant):
    url = f"/trusts/{tenant.slug}/coordinator/settings/eligibility/new"
    typed = '[{"key": "lived", "type": "yes_no", "label": "Lived?"'
    response = post_form(lead, url, {"questions": typed, "rule_set": '{"rules": []}'})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page and "<title>Error:" in page
    assert "not valid JSON" in page and "Lived?" in page
    bad_rules = {"rules": [{"key": "r", "reason": "Be lived", "when": {"answer": "nope",
                                                                      "is": True}}]}
    response = post_form(lead, url, {"questions": json.dumps(QUESTIONS),
                                     "rule_set": json.dumps(bad_rules)})
    assert response.status_code == 400
    assert "unknown question" in response.get_data(as_text=True)
    good_rules = {"rules": [{"key": "r", "reason": "You need lived experience",
                             "when": {"answer": "lived", "is": True}}]}
    response = post_form(lead, url, {"questions": json.dumps(QUESTIONS),
                                     "rule_set": json.dumps(good_rules), "note": "Simpler"})
    assert response.status_code == 302
    version_page = lead.get(response.headers["Location"])
    assert "Draft" in version_page.get_data(as_text=True)
    assert 'answered yes to "Lived experience?"' in html.unescape(version_page.get_data(
        as_text=True))


def test_the_preview_shows_the_outcome_for_sample_answers_without_storing_them(
        lead, tenant, in_trust):
    with in_trust():
        questions, rule_set = defaults.leicestershire_questions_and_rules()
        version = service.save_version(db.session, questions, rule_set)
        db.session.commit()
        count = len(service.versions(db.session))
    url = f"/trusts/{tenant.slug}/coordinator/settings/eligibility/{version.id}"
    answers = {"lived_experience_routes": ["gp_referral"], "lived_experience_routes-shown": "1",
               "understanding_of_peer_support": "Walking alongside someone",
               **{key: "yes" for key in ("available_all_training_days",
                                         "willing_to_share_experience",
                                         "committed_to_participate", "promoting_recovery",
                                         "want_to_work_at_lpt")}}
    page = post_form(lead, url, answers).get_data(as_text=True)
    assert "Outcome: Eligible" in page
    page = post_form(lead, url, {**answers, "lived_experience_routes": "none_of_these"}
                     ).get_data(as_text=True)
    assert "Outcome: Not eligible" in page and "Not met: You need lived experience" in page
    page = post_form(lead, url, {"lived_experience_routes-shown": "1"}).get_data(as_text=True)
    assert "Outcome: Not eligible" in page or "Outcome: Needs review" in page
    with in_trust():
        assert len(service.versions(db.session)) == count


def test_a_read_only_coordinator_reads_versions_but_cannot_edit_or_publish(reader, tenant,
                                                                           in_trust):
    base = f"/trusts/{tenant.slug}/coordinator/settings/eligibility"
    assert reader.get(base + "/").status_code == 200
    assert reader.get(base + "/new").status_code == 403
    with in_trust():
        version_id = service.latest_version(db.session).id
    assert reader.post(base + f"/{version_id}/publish").status_code in (400, 403)


def test_another_trusts_coordinator_is_sent_to_sign_in(lead, make_trust):
    other = make_trust()
    response = lead.get(f"/trusts/{other.slug}/coordinator/settings/eligibility/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
