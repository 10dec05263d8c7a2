"""Eligibility rules for a trust's Expression of Interest (EOI), held as data.

Each trust stores its EOI questions and its eligibility rules as JSON, so that
coordinators can change them without a code release. This module checks that
data (``validate_questions``, ``validate_rule_set``, in ``validation.py``) and
applies it to one applicant's answers (``evaluate``, here). ``describe`` (in
``describe.py``) turns a condition into plain English. All of them can be
imported from this module.

Questions::

    {"key": "lived_experience_routes", "type": "multiple_choice", "label": "...",
     "hint": "...", "options": [{"value": "gp_referral", "label": "..."}], "required": true}

A rule set::

    {"rules": [{"key": "lived_experience", "reason": "...", "applicant_reason": "...",
                "when": {"answer": "lived_experience_routes", "count_at_least": 1,
                         "of": ["gp_referral", "consultant_psychiatrist"]}}],
     "definitions": {"available": {"answer": "available_all_days", "is": true}}}

Question types and their answers: yes_no (true/false), single_choice (an option
value), multiple_choice (a list of option values; [] means "none of these"),
short_text and long_text (text), date ("YYYY-MM-DD" or a datetime.date), number
(text such as "18" or "2.5", or a number).

Conditions: {"all": [c, ...]}, {"any": [c, ...]}, {"not": c}, {"ref": "definition"},
{"answered": key}, and tests on one answer, {"answer": key, ...} with one of:
"is": bool (yes_no); "equals": v or "in": [v, ...] (single_choice, short_text;
text is compared ignoring case); "includes_any": [...], "includes_all": [...] or
"count_at_least": n with "of": [...] (multiple_choice); "op": "<" | "<=" | ">" |
">=" | "==" with "value": "YYYY-MM-DD" or {"years_before_today": n} (date) or a
number (number: the answer, stored as text such as "18", is read as a number).

Answers are judged with three-valued (Kleene) logic: a blank or malformed
answer makes a test "undecided" rather than failing it, so a person is never
turned away because of a gap in a form; a coordinator reviews them instead.
Every rule must pass for "eligible"; any failure means "not_eligible"; otherwise
any undecided rule means "needs_review".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from tenants.eligibility.describe import describe, describe_rule_set
from tenants.eligibility.validation import (
    COMPARISONS,
    Question,
    index_questions,
    parse_date,
    parse_number,
    validate_questions,
    validate_rule_set,
)

__all__ = [
    "ELIGIBLE", "FAIL", "NEEDS_REVIEW", "NOT_ELIGIBLE", "PASS", "UNDECIDED",
    "Evaluation", "InvalidRuleSet", "describe", "describe_rule_set", "evaluate",
    "evaluate_condition", "validate_questions", "validate_rule_set",
]

PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"
ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW = "eligible", "not_eligible", "needs_review"


class InvalidRuleSet(ValueError):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Evaluation:
    outcome: str  # ELIGIBLE, NOT_ELIGIBLE or NEEDS_REVIEW
    results: list[dict]  # per rule: key, outcome (pass/fail/undecided), reason, applicant_reason

    def rules_with(self, outcome: str) -> list[dict]:
        return [result for result in self.results if result["outcome"] == outcome]


def evaluate(questions, rule_set, answers, today: date | None = None) -> Evaluation:
    """Judge one applicant's answers. Raises InvalidRuleSet only for a broken rule set."""
    problems = validate_rule_set(questions, rule_set)
    if problems:
        raise InvalidRuleSet(problems)
    judge = _Judge(index_questions(questions), rule_set.get("definitions", {}),
                   answers if isinstance(answers, Mapping) else {}, _as_date(today))
    results = []
    for rule in rule_set["rules"]:
        results.append({"key": rule["key"], "outcome": judge.result(rule["when"]),
                        "reason": rule["reason"],
                        "applicant_reason": rule.get("applicant_reason") or rule["reason"]})
    outcomes = {result["outcome"] for result in results}
    overall = (NOT_ELIGIBLE if FAIL in outcomes else NEEDS_REVIEW if UNDECIDED in outcomes
               else ELIGIBLE)
    return Evaluation(overall, results)


def evaluate_condition(condition, questions, answers, *, definitions=None, today=None) -> str:
    """pass / fail / undecided for one condition, e.g. to preview a rule while editing it."""
    rule_set = {"rules": [{"key": "condition", "reason": "condition", "when": condition}],
                "definitions": definitions or {}}
    return evaluate(questions, rule_set, answers, today).results[0]["outcome"]


def _as_date(today) -> date:
    if today is None:
        return date.today()
    if isinstance(today, datetime):
        return today.date()
    if isinstance(today, date):
        return today
    raise TypeError(f"today must be a date, not {type(today).__name__}")


def years_before(today: date, years: int) -> date | None:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February in a year without one: the 28th is the anniversary
        try:
            return today.replace(year=today.year - years, day=28)
        except ValueError:  # before year 1
            return None


_BLANK, _MALFORMED = object(), object()


def _kleene(outcomes, decisive: str) -> str:
    """all (decisive=FAIL) and any (decisive=PASS) in three-valued logic; stops early."""
    undecided = False
    for outcome in outcomes:
        if outcome == decisive:
            return decisive
        undecided = undecided or outcome == UNDECIDED
    return UNDECIDED if undecided else PASS if decisive == FAIL else FAIL


class _Judge:
    """Evaluates validated conditions against one set of answers."""

    def __init__(self, questions: dict[str, Question], definitions, answers: Mapping,
                 today: date):
        self.questions, self.definitions = questions, definitions
        self.answers, self.today = answers, today

    def result(self, node: Mapping) -> str:
        if "all" in node:
            return _kleene(map(self.result, node["all"]), FAIL)
        if "any" in node:
            return _kleene(map(self.result, node["any"]), PASS)
        if "not" in node:
            return {PASS: FAIL, FAIL: PASS}.get(self.result(node["not"]), UNDECIDED)
        if "ref" in node:
            return self.result(self.definitions[node["ref"]])
        if "answered" in node:
            answer = self.answer(node["answered"])
            if answer is _MALFORMED:
                return UNDECIDED
            return FAIL if answer is _BLANK or answer == frozenset() else PASS
        answer = self.answer(node["answer"])
        if answer is _BLANK or answer is _MALFORMED:
            return UNDECIDED
        return PASS if self.test(node, answer) else FAIL

    def answer(self, key: str):
        """The answer normalised for its question type, or _BLANK / _MALFORMED."""
        question, raw = self.questions[key], self.answers.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return _BLANK
        options = question.options
        if question.type == "yes_no":
            return raw if isinstance(raw, bool) else _MALFORMED
        if question.type == "single_choice":
            return raw if isinstance(raw, str) and raw in options else _MALFORMED
        if question.type == "multiple_choice":
            # An empty selection is a real answer ("none of these apply"), unlike None.
            chosen = raw if isinstance(raw, list | tuple | set | frozenset) else [None]
            ok = all(isinstance(value, str) and value in options for value in chosen)
            return frozenset(chosen) if ok else _MALFORMED
        if question.type == "date":
            return parse_date(raw) or _MALFORMED
        if question.type == "number":
            number = parse_number(raw)
            return _MALFORMED if number is None else number
        return raw.strip() if isinstance(raw, str) else _MALFORMED

    def test(self, node: Mapping, answer) -> bool:
        if "is" in node:
            return answer is node["is"]
        if "equals" in node or "in" in node:
            wanted = [node["equals"]] if "equals" in node else node["in"]
            if self.questions[node["answer"]].type == "short_text":
                # Typed answers: ignore case and surrounding spaces ("Yes " matches "yes").
                return answer.casefold() in {value.strip().casefold() for value in wanted}
            return answer in wanted
        if "includes_any" in node:
            return bool(answer & set(node["includes_any"]))
        if "includes_all" in node:
            return answer >= set(node["includes_all"])
        if "count_at_least" in node:
            return len(answer & set(node["of"])) >= node["count_at_least"]
        value = node["value"]
        if self.questions[node["answer"]].type == "number":
            return COMPARISONS[node["op"]](answer, value)
        if isinstance(value, Mapping):
            target = years_before(self.today, value["years_before_today"])
            if target is None:  # cut-off before year 1: nobody's date can fall before it
                return node["op"] in (">", ">=")
        else:
            target = parse_date(value)
        return COMPARISONS[node["op"]](answer, target)
