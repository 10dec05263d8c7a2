"""The rule builder: eligibility rules chosen from the questions, written as rule-engine data.

The builder only writes the rule set that ``rules.evaluate`` already judges; it never
evaluates anything itself. A rule is one test on one answer, or several joined with
"all of" / "any of" (an extra test added to an existing rule).
"""

from __future__ import annotations

import copy
import re

from tenants.eligibility.builder import BuilderRefused, slug
from tenants.eligibility.routing import asks_something
from tenants.eligibility.values import MAX_NUMBER, parse_date, parse_number

# test name -> (words, question types it suits)
TESTS = {
    "is_yes": ("answer is Yes", ("yes_no",)),
    "is_no": ("answer is No", ("yes_no",)),
    "is_one_of": ("answer is one of", ("single_choice", "short_text")),
    "includes_any": ("includes any of", ("multiple_choice",)),
    "includes_all": ("includes all of", ("multiple_choice",)),
    "at_least": ("includes at least this many of", ("multiple_choice",)),
    "before": ("is before", ("date",)),
    "after": ("is after", ("date",)),
    "years_ago": ("is at least this many years ago", ("date",)),
    "number_at_least": ("is at least", ("number",)),
    "number_at_most": ("is at most", ("number",)),
}
# A comparison test -> the rule engine's operator.
OPERATORS = {"before": "<", "after": ">", "number_at_least": ">=", "number_at_most": "<="}
DATE_IN_WORDS = re.compile(r"(\d{1,2})[ /.-]+(\d{1,2})[ /.-]+(\d{4})")


def rule_questions(pages: list) -> list[dict]:
    """Questions a rule can be about (every test above needs one of these types)."""
    suited = {kind for _, kinds in TESTS.values() for kind in kinds}
    return [p for p in pages if asks_something(p) and p["type"] in suited]


def tests_for(question: dict) -> list[tuple[str, str]]:
    return [(name, words) for name, (words, kinds) in TESTS.items() if question["type"] in kinds]


def condition(question: dict, test: str, chosen: list[str], text: str) -> dict:
    """The rule engine's condition for one test, or BuilderRefused naming the field."""
    key = question["key"]
    if test not in dict(tests_for(question)):
        raise BuilderRefused({"test": "Choose a test that suits this question"})
    if test in ("is_yes", "is_no"):
        return {"answer": key, "is": test == "is_yes"}
    value = (text or "").strip()
    if test in ("before", "after"):
        return {"answer": key, "op": OPERATORS[test], "value": _date(value)}
    if test in ("number_at_least", "number_at_most"):
        number = parse_number(value)
        if number is None or abs(number) > MAX_NUMBER:
            raise BuilderRefused({"value": "Enter a number, like 18 or 2.5"})
        return {"answer": key, "op": OPERATORS[test], "value": number}
    if test == "years_ago":
        if not (value.isdigit() and int(value) <= 150):
            raise BuilderRefused({"value": "Enter a whole number of years, like 18"})
        return {"answer": key, "op": "<=", "value": {"years_before_today": int(value)}}
    values = chosen if question["type"] != "short_text" else \
        [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not values:
        raise BuilderRefused({"options": "Choose at least one answer for the rule"})
    if test == "is_one_of":
        return {"answer": key, "in": values}
    if test == "at_least":
        count = (text or "").strip()
        if not (count.isdigit() and 1 <= int(count) <= len(values)):
            raise BuilderRefused({"value": "Enter how many of the chosen answers are needed, "
                                           f"from 1 to {len(values)}"})
        return {"answer": key, "count_at_least": int(count), "of": values}
    return {"answer": key, test: values}


def _date(value: str) -> str:
    """A date typed as 30 6 2008, 30/06/2008 or 2008-06-30, as the engine's YYYY-MM-DD."""
    words = DATE_IN_WORDS.fullmatch(value)
    if words:
        value = f"{words[3]}-{int(words[2]):02d}-{int(words[1]):02d}"
    if parse_date(value) is None:
        raise BuilderRefused({"value": "Enter a real date, like 30 6 2008"})
    return value


def with_rule(rule_set: dict, when: dict, *, reason: str, applicant_reason: str | None,
              join: str = "") -> dict:
    """The rule set with a new rule, or with ``when`` joined to a rule ("all:key"/"any:key")."""
    rule_set = copy.deepcopy(rule_set)
    rules = rule_set.setdefault("rules", [])
    if join:
        kind, _, key = join.partition(":")
        rule = next((r for r in rules if r["key"] == key), None)
        if rule is None or kind not in ("all", "any"):
            raise BuilderRefused({"join": "That rule no longer exists"})
        old = rule["when"]
        rule["when"] = {kind: [*(old[kind] if list(old) == [kind] else [old]), when]}
        return rule_set
    if not (reason or "").strip():
        raise BuilderRefused({"reason": "Enter the reason, in plain words"})
    rule = {"key": slug(reason, {r["key"] for r in rules}, "rule"), "reason": reason.strip(),
            "when": when}
    if applicant_reason and applicant_reason.strip():
        rule["applicant_reason"] = applicant_reason.strip()
    rules.append(rule)
    return rule_set


def without_rule(rule_set: dict, key: str) -> dict:
    rule_set = copy.deepcopy(rule_set)
    rule_set["rules"] = [r for r in rule_set.get("rules", []) if r["key"] != key]
    return rule_set
