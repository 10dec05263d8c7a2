"""Rules that compare numbers ("is at least", "is at most") and dates ("is before", "is
after"): written by the rule builder, judged by the one rule engine, bad input refused."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.eligibility import builder
from tenants.eligibility.describe import describe
from tenants.eligibility.rules import evaluate_condition
from tenants.eligibility.validation import rule_set_problems
from tests.builder.conftest import post

HOURS = {"key": "hours", "type": "number", "label": "Hours a week", "required": True}
STARTED = {"key": "started", "type": "date", "label": "When did you start?", "required": True}
NAME = {"key": "town", "type": "short_text", "label": "Your town", "required": True}
QUESTIONS = [HOURS, STARTED, NAME]


@pytest.mark.parametrize(("answer", "at_least_6", "at_most_6"), [
    ("6", "pass", "pass"), ("5.5", "fail", "pass"), ("12", "pass", "fail"), (7, "pass", "fail"),
    ("-1", "fail", "pass"), ("", "undecided", "undecided"), (None, "undecided", "undecided"),
    ("six", "undecided", "undecided"), (True, "undecided", "undecided"),
])
def test_number_rules_compare_the_answer_as_a_number(answer, at_least_6, at_most_6):
    for op, expected in ((">=", at_least_6), ("<=", at_most_6)):
        condition = {"answer": "hours", "op": op, "value": 6}
        assert evaluate_condition(condition, QUESTIONS, {"hours": answer}) == expected


def test_date_rules_compare_before_and_after():
    before = {"answer": "started", "op": "<", "value": "2020-01-01"}
    after = {"answer": "started", "op": ">", "value": "2020-01-01"}
    for answer, is_before, is_after in (("2019-12-31", "pass", "fail"),
                                        ("2020-01-01", "fail", "fail"),
                                        (dt.date(2021, 5, 1), "fail", "pass"),
                                        ("2020-02-30", "undecided", "undecided")):
        assert evaluate_condition(before, QUESTIONS, {"started": answer}) == is_before
        assert evaluate_condition(after, QUESTIONS, {"started": answer}) == is_after


def test_comparisons_on_the_wrong_question_or_with_a_non_number_are_problems():
    def problems(when):
        return rule_set_problems(QUESTIONS, {"rules": [{"key": "r", "reason": "R",
                                                        "when": when}]})
    assert problems({"answer": "hours", "op": ">=", "value": 6}) == []
    assert problems({"answer": "hours", "op": ">=", "value": "6"})  # a number, not text
    assert problems({"answer": "hours", "op": ">=", "value": True})
    assert problems({"answer": "hours", "op": ">=", "value": float("nan")})
    assert problems({"answer": "town", "op": ">=", "value": 6})  # not on a text question
    assert problems({"answer": "started", "op": ">=", "value": 6})  # dates compare dates


def test_comparisons_read_in_words():
    assert describe({"answer": "hours", "op": ">=", "value": 6}, QUESTIONS) == \
        '"Hours a week" is at least 6'
    assert describe({"answer": "started", "op": ">", "value": "2020-01-01"}, QUESTIONS) == \
        '"When did you start?" is after 1 January 2020'


def _rule_form(lead, base, question: str, **fields):
    rules = f"{base}/rules"
    return post(lead, rules, {"question": question, **fields}, page=f"{rules}?question={question}")


def _add_questions(lead, base):
    post(lead, base + "/start", page=base)
    for fields in ({"type": "number", "label": "Hours a week"},
                   {"type": "date", "label": "When did you start?"},
                   {"type": "long_text", "label": "Your story"},
                   {"type": "short_text", "label": "Your town"}):
        response = post(lead, base + "/pages/new", {"required": "yes", **fields},
                        page=base + "/pages/new?kind=question")
        assert response.status_code == 302


def _rules(app, trust):
    with tenant_context(trust, app):
        return builder.draft(db.session).rule_set


def test_the_rule_builder_writes_number_and_date_rules(app, trust, lead, base):
    _add_questions(lead, base)
    page = lead.get(f"{base}/rules?question=hours_a_week").get_data(as_text=True)
    assert "is at least" in page and "is at most" in page
    assert _rule_form(lead, base, "hours_a_week", test="number_at_least", value="6",
                      reason="You need 6 hours a week",
                      applicant_reason="The training takes about 6 hours a week."
                      ).status_code == 302
    assert _rule_form(lead, base, "when_did_you_start", test="after", value="30 6 2008",
                      reason="Started after June 2008").status_code == 302
    rules = _rules(app, trust)["rules"]
    assert rules[-2]["when"] == {"answer": "hours_a_week", "op": ">=", "value": 6}
    assert rules[-2]["applicant_reason"] == "The training takes about 6 hours a week."
    assert rules[-1]["when"] == {"answer": "when_did_you_start", "op": ">",
                                 "value": "2008-06-30"}
    listed = lead.get(f"{base}/rules").get_data(as_text=True)
    assert "&#34;Hours a week&#34; is at least 6" in listed or \
        '"Hours a week" is at least 6' in listed


@pytest.mark.parametrize(("question", "fields", "message"), [
    ("hours_a_week", {"test": "number_at_least", "value": "six"}, "Enter a number"),
    ("hours_a_week", {"test": "number_at_most", "value": ""}, "Enter a number"),
    ("when_did_you_start", {"test": "before", "value": "31 2 2020"}, "Enter a real date"),
    ("your_town", {"test": "number_at_least", "value": "6"}, "Choose a test that suits"),
    ("your_story", {"test": "number_at_least", "value": "6"}, "Choose a question a rule can"),
])
def test_bad_comparison_rules_get_an_error_summary_and_change_nothing(
        app, trust, lead, base, question, fields, message):
    _add_questions(lead, base)
    saved = _rules(app, trust)
    response = _rule_form(lead, base, question, reason="A reason", **fields)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in text and message in text
    assert _rules(app, trust) == saved
