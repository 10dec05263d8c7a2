"""Option values are stable: rewording an option keeps its stored value, so answers and
rules about it keep their meaning; removing an option a rule uses is refused, naming it."""

from __future__ import annotations

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.eligibility import builder
from tenants.eligibility.describe import describe_rule_set
from tenants.eligibility.rules import evaluate
from tests.builder.conftest import post

QUESTION = "Where do you live?"
RULE = "You need to live in Norfolk or Suffolk"
UNCHANGED = {"type": "single_choice", "label": QUESTION, "required": "yes",
             "option-norfolk": "Norfolk", "option-suffolk": "Suffolk",
             "option-somewhere_else": "Somewhere else"}


def _draft(app, trust):
    with tenant_context(trust, app):
        found = builder.draft(db.session)
        return found.questions, found.rule_set


def _page(app, trust) -> dict:
    return next(p for p in _draft(app, trust)[0] if p["label"] == QUESTION)


def _set_up(app, trust, lead, base) -> str:
    post(lead, base + "/start", page=base)
    post(lead, base + "/pages/new", {"type": "single_choice", "label": QUESTION,
                                     "options": "Norfolk\nSuffolk\nSomewhere else",
                                     "required": "yes"}, page=base + "/pages/new?kind=question")
    key = _page(app, trust)["key"]
    rules = f"{base}/rules"
    response = post(lead, rules, {"question": key, "test": "is_one_of",
                                  "chosen": ["norfolk", "suffolk"], "reason": RULE},
                    page=f"{rules}?question={key}")
    assert response.status_code == 302
    return key


def test_rewording_an_option_keeps_its_value_its_answers_and_its_rules(app, trust, lead, base):
    key = _set_up(app, trust, lead, base)
    edit = f"{base}/pages/{key}"
    form = lead.get(edit).get_data(as_text=True)
    assert 'name="option-norfolk"' in form and 'value="Norfolk"' in form
    response = post(lead, edit, {"type": "single_choice", "label": QUESTION, "required": "yes",
                                 "option-norfolk": "Norfolk (the county)",
                                 "option-suffolk": "Suffolk",
                                 "option-somewhere_else": "Somewhere else in England",
                                 "options": "Wales"}, page=edit)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = _page(app, trust)
    assert page["options"] == [
        {"value": "norfolk", "label": "Norfolk (the county)"},
        {"value": "suffolk", "label": "Suffolk"},
        {"value": "somewhere_else", "label": "Somewhere else in England"},
        {"value": "wales", "label": "Wales"}]
    questions, rule_set = _draft(app, trust)
    assert rule_set["rules"][-1]["when"] == {"answer": key, "in": ["norfolk", "suffolk"]}
    assert "Norfolk (the county)" in describe_rule_set(questions, rule_set)[-1]["description"]
    # An answer given before the rewording still means what it meant.
    results = evaluate(questions, rule_set, {key: "norfolk"}).results
    assert next(r for r in results if r["reason"] == RULE)["outcome"] == "pass"


def test_removing_an_option_a_rule_uses_is_refused_naming_the_rule(app, trust, lead, base):
    key = _set_up(app, trust, lead, base)
    saved = _draft(app, trust)
    edit, fields = f"{base}/pages/{key}", dict(UNCHANGED)
    response = post(lead, edit, {**fields, "remove": "suffolk"}, page=edit)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and RULE in text and 'href="#existing-options"' in text
    assert _draft(app, trust) == saved
    response = post(lead, edit, {**fields, "remove": "somewhere_else"}, page=edit)
    assert response.status_code == 302
    assert [o["value"] for o in _page(app, trust)["options"]] == ["norfolk", "suffolk"]


def test_an_option_left_blank_or_repeated_is_refused(app, trust, lead, base):
    key = _set_up(app, trust, lead, base)
    saved = _draft(app, trust)
    edit, fields = f"{base}/pages/{key}", dict(UNCHANGED)
    for change, message in (({"option-suffolk": " "}, "Enter the words for option 2"),
                            ({"options": "norfolk"}, "listed more than once")):
        response = post(lead, edit, {**fields, **change}, page=edit)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
        assert _draft(app, trust) == saved
