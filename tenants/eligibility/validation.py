"""Checks a trust's EOI questions and eligibility rule set before they are saved or used.

Every problem is reported as one message that names where it is, such as
``rules[2].when.any[0].answer: unknown question 'availabilty'``, so a coordinator
editing the JSON (or the admin form built on it) can find and fix it. The
validators never raise, whatever they are given. The data format itself is
described in ``rules.py``.
"""

from __future__ import annotations

import operator
import re
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass

from tenants.eligibility.values import (  # noqa: F401 - part of this module's interface
    ISO_DATE_PATTERN,
    MAX_NUMBER,
    is_number,
    parse_date,
    parse_number,
)

QUESTION_TYPES = ("yes_no", "single_choice", "multiple_choice", "short_text", "long_text", "date",
                  "number", "email", "phone", "address")
CHOICE_TYPES = ("single_choice", "multiple_choice")
# "exclusive" marks an option such as "None of these" that cannot be chosen with another.
OPTION_FIELDS = frozenset({"value", "label", "exclusive"})
# Pages that ask nothing (routing.py): words between questions, and kind pages that end the form.
PAGE_TYPES = ("guidance", "exit")
QUESTION_FIELDS = frozenset({"key", "type", "label", "hint", "options", "required", "routes"})
PAGE_FIELDS = frozenset({"key", "type", "label", "body"})
RULE_FIELDS = frozenset({"key", "reason", "applicant_reason", "when"})
RULE_SET_FIELDS = frozenset({"rules", "definitions"})

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}")
# Option values end up in HTML form values and in stored answers, so keep them slugs.
OPTION_VALUE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_]{0,62}")

COMPARISONS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
               "==": operator.eq}
# Each test on an answer: the keys it uses besides "answer", and the question types it suits.
ANSWER_TESTS = {
    "is": (frozenset({"is"}), ("yes_no",)),
    "equals": (frozenset({"equals"}), ("single_choice", "short_text")),
    "in": (frozenset({"in"}), ("single_choice", "short_text")),
    "includes_any": (frozenset({"includes_any"}), ("multiple_choice",)),
    "includes_all": (frozenset({"includes_all"}), ("multiple_choice",)),
    "count_at_least": (frozenset({"count_at_least", "of"}), ("multiple_choice",)),
    "op": (frozenset({"op", "value"}), ("date", "number")),
}
GROUP_TAGS = ("all", "any", "not", "ref")
# Bounds keep validation and evaluation well inside Python's recursion limit.
MAX_DEPTH = 40
MAX_DEFINITIONS = 200
MAX_YEARS = 150

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 60


def show(value) -> str:
    """repr() that is safe and short for any junk, including deeply nested values."""
    return _short.repr(value)


def is_key(value) -> bool:
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


@dataclass(frozen=True)
class Question:
    key: str
    type: str
    label: str
    options: dict[str, str]  # option value -> label, in display order


def index_questions(questions) -> dict[str, Question]:
    """Best-effort lookup by key; skips entries too broken to use (validation reports them)."""
    index: dict[str, Question] = {}
    if not isinstance(questions, list):
        return index
    for raw in questions:
        if not (isinstance(raw, Mapping) and is_key(raw.get("key"))):
            continue
        qtype = raw.get("type")
        if not (isinstance(qtype, str) and qtype in QUESTION_TYPES) or raw["key"] in index:
            continue
        options = {}
        raw_options = raw.get("options")
        for option in raw_options if isinstance(raw_options, list) else ():
            if isinstance(option, Mapping) and isinstance(option.get("value"), str):
                label = option.get("label")
                options.setdefault(option["value"], label if isinstance(label, str) else "")
        label = raw.get("label")
        index[raw["key"]] = Question(raw["key"], qtype, label if isinstance(label, str) else "",
                                     options)
    return index


def validate_questions(questions) -> list[str]:
    """Problems with a trust's EOI question list; empty when it is usable."""
    if not isinstance(questions, list):
        return ["questions: must be a list of questions"]
    problems: list[str] = []
    seen: set[str] = set()
    for i, question in enumerate(questions):
        where = f"questions[{i}]"
        if not isinstance(question, Mapping):
            problems.append(f"{where}: must be an object with key, type and label")
            continue
        page = question.get("type") in PAGE_TYPES
        unknown = sorted(str(name) for name in set(question) - (PAGE_FIELDS if page
                                                                  else QUESTION_FIELDS))
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        key = question.get("key")
        if not is_key(key):
            problems.append(f"{where}.key: {show(key)} is not a valid key (lower-case letters, "
                            "digits and underscores, starting with a letter, at most 63 long)")
        elif key in seen:
            problems.append(f"{where}.key: duplicate question key {key!r}")
        else:
            seen.add(key)
        qtype = question.get("type")
        if page:
            if not (isinstance(question.get("label"), str) and question["label"].strip()
                    and isinstance(question.get("body"), str) and question["body"].strip()):
                problems.append(f"{where}: a {qtype} page needs a title and some words")
            continue
        if not (isinstance(qtype, str) and qtype in QUESTION_TYPES):
            problems.append(f"{where}.type: unknown question type {show(qtype)}; expected one "
                            f"of {', '.join(QUESTION_TYPES)}")
        if not (isinstance(question.get("label"), str) and question["label"].strip()):
            problems.append(f"{where}.label: every question needs a label")
        if question.get("hint") is not None and not isinstance(question["hint"], str):
            problems.append(f"{where}.hint: must be text")
        if not isinstance(question.get("required", True), bool):
            problems.append(f"{where}.required: must be true or false")
        if qtype in CHOICE_TYPES:
            problems.extend(_option_problems(question.get("options"), where,
                                             qtype == "multiple_choice"))
        elif "options" in question:
            problems.append(f"{where}.options: only choice questions have options")
    return problems


def _option_problems(options, where: str, multiple: bool) -> list[str]:
    if not isinstance(options, list) or not options:
        return [f"{where}.options: a choice question needs a list of at least one option"]
    problems, seen = [], set()
    for j, option in enumerate(options):
        here = f"{where}.options[{j}]"
        if not (isinstance(option, Mapping) and {"value", "label"} <= set(option) <= OPTION_FIELDS):
            problems.append(f"{here}: an option must be an object with value, label and "
                            "optionally exclusive")
            continue
        if not isinstance(option.get("exclusive", False), bool) or (
                option.get("exclusive") and not multiple):
            problems.append(f"{here}.exclusive: must be true or false, and only on a "
                            "multiple_choice option (such as \"None of these\")")
        value = option["value"]
        if not (isinstance(value, str) and OPTION_VALUE_PATTERN.fullmatch(value)):
            problems.append(f"{here}.value: {show(value)} is not a valid option value "
                            "(lower-case letters, digits and underscores)")
        elif value in seen:
            problems.append(f"{here}.value: duplicate option value {value!r}")
        else:
            seen.add(value)
        if not (isinstance(option["label"], str) and option["label"].strip()):
            problems.append(f"{here}.label: every option needs a label")
    return problems


def validate_rule_set(questions, rule_set) -> list[str]:
    """Problems with the questions and a rule set over them; empty when the pair is usable."""
    return validate_questions(questions) + rule_set_problems(questions, rule_set)


def rule_set_problems(questions, rule_set) -> list[str]:
    """Problems with the rule set alone, judged against whatever questions are usable."""
    if not isinstance(rule_set, Mapping):
        return ['rule set: must be an object with "rules" and optional "definitions"']
    problems: list[str] = []
    unknown = sorted(str(name) for name in set(rule_set) - RULE_SET_FIELDS)
    if unknown:
        problems.append(f"rule set: unknown field(s) {', '.join(unknown)}")
    definitions = rule_set.get("definitions", {})
    if not isinstance(definitions, Mapping):
        problems.append("definitions: must be an object of name -> condition")
        definitions = {}
    if len(definitions) > MAX_DEFINITIONS:
        problems.append(f"definitions: too many (at most {MAX_DEFINITIONS})")
        definitions = {}
    checker = _ConditionChecker(index_questions(questions), set(filter(is_key, definitions)),
                                problems)
    shapes = {}  # definition name -> (own depth, refs), to find cycles and real depths
    for name, condition in definitions.items():
        if not is_key(name):
            problems.append(f"definitions: {show(name)} is not a valid definition name")
            continue
        shapes[name] = checker.check(condition, f"definitions.{name}")
    rules = rule_set.get("rules")
    if not isinstance(rules, list):
        problems.append('rules: must be a list of rules (it may be empty)')
        rules = []
    rule_keys: set[str] = set()
    rule_shapes = []
    for i, rule in enumerate(rules):
        where = f"rules[{i}]"
        if not isinstance(rule, Mapping):
            problems.append(f"{where}: must be an object with key, reason and when")
            continue
        unknown = sorted(str(name) for name in set(rule) - RULE_FIELDS)
        if unknown:
            problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
        key = rule.get("key")
        if not is_key(key):
            problems.append(f"{where}.key: {show(key)} is not a valid rule key")
        elif key in rule_keys:
            problems.append(f"{where}.key: duplicate rule key {key!r}")
        else:
            rule_keys.add(key)
        for field, required in (("reason", True), ("applicant_reason", False)):
            text = rule.get(field)
            if (required or text is not None) and not (isinstance(text, str) and text.strip()):
                problems.append(f"{where}.{field}: missing {field.replace('_', ' ')} (the words "
                                "shown when this rule is not met)")
        if "when" not in rule:
            problems.append(f"{where}.when: missing condition")
        else:
            rule_shapes.append((f"{where}.when", *checker.check(rule["when"], f"{where}.when")))
    cycles = _find_cycles({name: refs for name, (_, refs) in shapes.items()})
    problems.extend(f"definitions: cycle {' -> '.join(cycle)}" for cycle in cycles)
    if not cycles:
        # Evaluation follows refs, so the depth that matters includes the definitions used.
        memo: dict[str, int] = {}
        for where, depth, refs in rule_shapes:
            expanded = _expanded_depth(depth, refs, memo, shapes)
            if depth <= MAX_DEPTH < expanded:  # (too deep on its own is reported already)
                problems.append(f"{where}: conditions nested too deeply once definitions are "
                                f"followed (limit {MAX_DEPTH})")
    return problems


class _ConditionChecker:
    """Walks one condition tree, collecting problems with a path such as rules[2].when.any[0]."""

    def __init__(self, questions: dict[str, Question], definition_names: set[str],
                 problems: list[str]):
        self.questions = questions
        self.definition_names = definition_names
        self.problems = problems  # shared, so messages stay in document order

    def check(self, node, where: str, depth: int = 1) -> tuple[int, dict[str, int]]:
        """(nesting depth, {definition used: deepest level of a ref to it}) of a condition."""
        if depth > MAX_DEPTH:
            self.problems.append(f"{where}: conditions nested too deeply (limit {MAX_DEPTH})")
            return depth, {}
        if not isinstance(node, Mapping) or not node:
            self.problems.append(f"{where}: a condition must be an object such as "
                                 '{"answer": "key", "is": true} or {"all": [...]}, '
                                 f"not {show(node)}")
            return depth, {}
        if "answer" in node:
            self._check_answer(node, where)
            return depth, {}
        if "answered" in node or (len(node) == 1 and next(iter(node)) in GROUP_TAGS):
            tag = "answered" if "answered" in node else next(iter(node))
            if len(node) > 1:
                extra = sorted(str(name) for name in node if name != tag)
                self.problems.append(f"{where}: unexpected field(s) {', '.join(extra)} "
                                     f'beside "{tag}"')
            return self._check_tagged(tag, node[tag], where, depth)
        names = ", ".join(sorted(str(name) for name in node))
        self.problems.append(f"{where}: unknown condition with field(s) {names}; expected one of "
                             "all, any, not, ref, answer, answered")
        return depth, {}

    def _check_tagged(self, tag: str, value, where: str, depth: int):
        if tag == "answered":
            if not (isinstance(value, str) and value in self.questions):
                self.problems.append(f"{where}.answered: unknown question {show(value)}")
            return depth, {}
        if tag == "ref":
            if not (isinstance(value, str) and value in self.definition_names):
                self.problems.append(f"{where}.ref: unknown definition {show(value)}")
                return depth, {}
            return depth, {value: depth}
        if tag == "not":
            return self.check(value, f"{where}.not", depth + 1)
        if not isinstance(value, list) or not value:
            self.problems.append(f'{where}.{tag}: "{tag}" needs a non-empty list of conditions')
            return depth, {}
        deepest, refs = depth, {}
        for i, child in enumerate(value):
            child_depth, child_refs = self.check(child, f"{where}.{tag}[{i}]", depth + 1)
            deepest = max(deepest, child_depth)
            for name, ref_depth in child_refs.items():
                refs[name] = max(ref_depth, refs.get(name, 0))
        return deepest, refs

    def _check_answer(self, node: Mapping, where: str) -> None:
        fields = set(node) - {"answer"}
        test = next((name for name, (keys, _) in ANSWER_TESTS.items() if keys == fields), None)
        if test is None:
            self.problems.append(
                f"{where}: an answer condition needs exactly one test (is, equals, in, "
                "includes_any, includes_all, count_at_least with of, or op with value (dates and "
                "numbers)); got "
                f"{', '.join(sorted(str(name) for name in fields)) or 'none'}")
            return
        key = node["answer"]
        question = self.questions.get(key) if isinstance(key, str) else None
        if question is None:
            self.problems.append(f"{where}.answer: unknown question {show(key)}")
            return
        suits = ANSWER_TESTS[test][1]
        if question.type not in suits:
            usable = [name for name, (_, types) in ANSWER_TESTS.items() if question.type in types]
            self.problems.append(
                f'{where}.{test}: "{test}" cannot be used on {question.type} question {key!r} '
                f"(it suits {', '.join(suits)}; for {question.type} use "
                f"{', '.join(usable) or 'answered'})")
            return
        problem = _test_value_problem(test, node, question)
        if problem:
            self.problems.append(f"{where}.{problem}")


def _test_value_problem(test: str, node: Mapping, question: Question) -> str | None:
    """What is wrong with the value of a test whose shape and question type already fit."""
    value = node[test]
    if test == "is":
        return None if isinstance(value, bool) else f"is: must be true or false, not {show(value)}"
    if test == "op":
        if not (isinstance(value, str) and value in COMPARISONS):
            return f"op: {show(value)} is not one of {', '.join(COMPARISONS)}"
        if question.type == "number":
            return _number_value_problem(node["value"])
        return _date_value_problem(node["value"])
    if test == "count_at_least":
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return f"count_at_least: must be a whole number of at least 1, not {show(value)}"
        test, value = "of", node["of"]
        if isinstance(value, list) and len(set(map(show, value))) < node["count_at_least"]:
            return f"of: lists fewer than {node['count_at_least']} different options"
    values = [value] if test == "equals" else value
    if not isinstance(values, list) or not values:
        return f"{test}: must be a non-empty list of values"
    for item in values:
        if question.type == "short_text":
            if not (isinstance(item, str) and item.strip()):
                return f"{test}: {show(item)} must be non-blank text"
        elif not (isinstance(item, str) and item in question.options):
            return (f"{test}: {show(item)} is not an option of question {question.key!r} "
                    f"(options: {', '.join(question.options)})")
    return None


def _number_value_problem(value) -> str | None:
    if is_number(value) and abs(value) <= MAX_NUMBER:
        return None
    return f"value: {show(value)} must be a number (from -{MAX_NUMBER} to {MAX_NUMBER})"


def _date_value_problem(value) -> str | None:
    if isinstance(value, Mapping) and set(value) == {"years_before_today"}:
        years = value["years_before_today"]
        if isinstance(years, int) and not isinstance(years, bool) and 0 <= years <= MAX_YEARS:
            return None
        return f"value.years_before_today: must be a whole number from 0 to {MAX_YEARS}"
    if parse_date(value) is None or not isinstance(value, str):
        return (f"value: {show(value)} must be a date written YYYY-MM-DD or "
                '{"years_before_today": n}')
    return None


def _find_cycles(refs: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every cycle among definitions, each once, as a path that returns to its start."""
    cycles, state = [], {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "active"
        path.append(name)
        for used in sorted(refs.get(name, ())):
            if state.get(used) == "active":
                cycles.append([*path[path.index(used):], used])
            elif used not in state:
                visit(used, path)
        path.pop()
        state[name] = "done"

    for name in sorted(refs):
        if name not in state:
            visit(name, [])
    return cycles


def _expanded_depth(own_depth: int, refs: dict[str, int], memo: dict, definitions) -> int:
    """Depth of a condition once its refs are replaced by the (acyclic) definitions."""
    deepest = own_depth
    for name, ref_depth in refs.items():
        if name not in memo:
            memo[name] = _expanded_depth(*definitions[name], memo, definitions)
        deepest = max(deepest, ref_depth + memo[name])  # a ref counts as a level too
    return deepest
