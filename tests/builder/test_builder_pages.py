"""The question builder's pages: a draft beside the live form, bad input refused whole."""

from __future__ import annotations

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.eligibility import builder, service
from tests.builder.conftest import post


def _draft(app, trust):
    with tenant_context(trust, app):
        found = builder.draft(db.session)
        return None if found is None else (found.questions, found.rule_set)


def _start(lead, base):
    response = post(lead, base + "/start", page=base)
    assert response.status_code == 302


def _add(lead, base, **fields):
    kind = fields.get("type") if fields.get("type") in ("guidance", "exit") else "question"
    return post(lead, base + "/pages/new", {"required": "yes", **fields},
                page=f"{base}/pages/new?kind={kind}")


def _keys(app, trust):
    return [page["key"] for page in _draft(app, trust)[0]]


def test_a_draft_starts_as_a_copy_of_the_live_form_and_leaves_it_serving(app, trust, lead, base):
    with tenant_context(trust, app):
        live = service.published_version(db.session)
        live_questions = live.questions
    _start(lead, base)
    questions, _ = _draft(app, trust)
    assert questions == live_questions
    assert _add(lead, base, type="short_text", label="What is your first language?"
                ).status_code == 302
    with tenant_context(trust, app):
        assert service.published_version(db.session).questions == live_questions
    page = lead.get(base).get_data(as_text=True)
    assert "What is your first language?" in page and "Make this draft live" in page


def test_questions_are_added_moved_and_removed(app, trust, lead, base):
    _start(lead, base)
    _add(lead, base, type="single_choice", label="Where do you live?",
         options="Norfolk\nSuffolk\nSomewhere else")
    before = _keys(app, trust)
    assert before[-1] == "where_do_you_live"
    post(lead, f"{base}/pages/where_do_you_live/move", {"to": "up"}, page=base)
    assert _keys(app, trust)[-2] == "where_do_you_live"
    post(lead, f"{base}/pages/where_do_you_live/remove", page=base)
    assert "where_do_you_live" not in _keys(app, trust)


def test_an_empty_question_gets_an_error_summary_and_changes_nothing(app, trust, lead, base):
    _start(lead, base)
    saved = _draft(app, trust)
    response = _add(lead, base, type="short_text", label="   ")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and "<title>Error:" in text
    assert 'href="#label"' in text
    assert _draft(app, trust) == saved


def test_duplicate_options_get_an_error_summary_and_change_nothing(app, trust, lead, base):
    _start(lead, base)
    saved = _draft(app, trust)
    response = _add(lead, base, type="single_choice", label="Which day suits you?",
                    options="Monday\nTuesday\nmonday")
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and "listed more than once" in text
    assert "Which day suits you?" in text  # what was typed is shown again
    assert _draft(app, trust) == saved


def _key_of(app, trust, label: str) -> str:
    return next(p["key"] for p in _draft(app, trust)[0] if p["label"] == label)


def _branch_to_exit(app, trust, lead, base):
    _add(lead, base, type="single_choice", label="Have you used secondary mental health services?",
         options="Yes\nNo")
    _add(lead, base, type="exit", label="This training is not for you yet",
         body="You need to have used secondary mental health services to join this training.")
    key = _key_of(app, trust, "Have you used secondary mental health services?")
    return post(lead, f"{base}/pages/{key}/routes",
                {"route-yes": "", "route-no": "this_training_is_not_for_you_yet"},
                page=f"{base}/pages/{key}/routes")


def test_removing_a_page_a_branch_goes_to_is_refused_and_loses_nothing(app, trust, lead, base):
    _start(lead, base)
    assert _branch_to_exit(app, trust, lead, base).status_code == 302
    saved = _draft(app, trust)
    assert saved[0][-2]["routes"] == {"no": "this_training_is_not_for_you_yet"}
    response = post(lead, f"{base}/pages/this_training_is_not_for_you_yet/remove", page=base)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and "does not exist" in text
    assert _draft(app, trust) == saved


def test_removing_a_question_a_rule_uses_is_refused_and_loses_nothing(app, trust, lead, base):
    _start(lead, base)
    _add(lead, base, type="yes_no", label="Are you 18 or over?")
    rules = f"{base}/rules"
    response = post(lead, rules, {"question": "are_you_18_or_over", "test": "is_yes",
                                  "reason": "You need to be 18 or over"},
                    page=f"{rules}?question=are_you_18_or_over")
    assert response.status_code == 302
    saved = _draft(app, trust)
    assert saved[1]["rules"][-1]["when"] == {"answer": "are_you_18_or_over", "is": True}
    response = post(lead, f"{base}/pages/are_you_18_or_over/remove", page=base)
    assert response.status_code == 400
    assert "There is a problem" in response.get_data(as_text=True)
    assert _draft(app, trust) == saved


def test_a_rule_without_a_reason_is_refused(app, trust, lead, base):
    _start(lead, base)
    saved = _draft(app, trust)
    rules = f"{base}/rules"
    response = post(lead, rules, {"question": "lived_experience", "test": "is_yes"},
                    page=f"{rules}?question=lived_experience")
    assert response.status_code == 400
    assert "Enter the reason" in response.get_data(as_text=True)
    assert _draft(app, trust) == saved


def test_an_exit_page_no_branch_leads_to_is_warned_about(app, trust, lead, base):
    _start(lead, base)
    _add(lead, base, type="exit", label="Sorry", body="Kind words.")
    assert "No answer leads to the exit page" in lead.get(base).get_data(as_text=True)


def test_going_live_needs_a_cohort(app, trust, lead, base):
    _start(lead, base)
    response = post(lead, base + "/live", page=base)
    assert response.status_code == 400
    assert "add at least one cohort" in response.get_data(as_text=True)
    assert _draft(app, trust) is not None


def test_make_live_and_discard(app, trust, cohort_id, lead, base):
    _start(lead, base)
    _add(lead, base, type="short_text", label="Your favourite colour")
    assert post(lead, base + "/live", page=base).status_code == 302
    with tenant_context(trust, app):
        live = service.published_version(db.session)
        assert live.questions[-1]["label"] == "Your favourite colour"
    assert _draft(app, trust) is None
    _start(lead, base)
    post(lead, base + "/discard", page=base)
    assert _draft(app, trust) is None
    with tenant_context(trust, app):
        assert service.published_version(db.session).id == live.id
