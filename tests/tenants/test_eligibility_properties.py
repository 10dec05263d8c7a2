"""Property tests for the eligibility rule engine (examples: test_eligibility_rules.py).

Valid rule sets are generated over generated questions; evaluation must then cope with
any answers, and validation must cope with any junk at all.
"""

import functools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenants.eligibility.rules import (
    ELIGIBLE,
    FAIL,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    UNDECIDED,
    describe,
    evaluate,
    evaluate_condition,
    validate_questions,
    validate_rule_set,
)


def _options(*values):
    return [{"value": value, "label": value.replace("_", " ").capitalize()} for value in values]


SAMPLE_QUESTIONS = [
    {"key": "lived", "type": "yes_no", "label": "Lived experience?"},
    {"key": "route", "type": "single_choice", "label": "Route", "options": _options("a", "b")},
]

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["", " ", "a", "b", "gp", "2000-01-01", "lived"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=8)
TYPES = ["yes_no", "single_choice", "multiple_choice", "short_text", "long_text", "date"]
OPTION_VALUES = ["a", "b", "c", "gp", "cpn"]


@st.composite
def question_lists(draw):
    questions = []
    for i, qtype in enumerate(draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=6))):
        question = {"key": f"q{i}", "type": qtype, "label": f"Question {i}"}
        if qtype in ("single_choice", "multiple_choice"):
            values = draw(st.lists(st.sampled_from(OPTION_VALUES), min_size=1, unique=True))
            question["options"] = _options(*values)
        questions.append(question)
    return questions


def _subset(values):
    return st.lists(st.sampled_from(values), min_size=1, unique=True)


@functools.lru_cache
def answer_tests(key, qtype, values):
    """Valid tests on one question. Cached: building strategies afresh per example is slow."""
    answered = st.just({"answered": key})
    values = list(values)
    if qtype == "yes_no":
        return answered | st.builds(lambda b: {"answer": key, "is": b}, st.booleans())
    if qtype == "single_choice":
        return (answered
                | st.builds(lambda v: {"answer": key, "equals": v}, st.sampled_from(values))
                | st.builds(lambda vs: {"answer": key, "in": vs}, _subset(values)))
    if qtype == "multiple_choice":
        counted = _subset(values).flatmap(lambda of: st.builds(
            lambda n: {"answer": key, "count_at_least": n, "of": of}, st.integers(1, len(of))))
        return (answered | counted
                | st.builds(lambda vs: {"answer": key, "includes_any": vs}, _subset(values))
                | st.builds(lambda vs: {"answer": key, "includes_all": vs}, _subset(values)))
    if qtype == "short_text":
        words = st.sampled_from(["Leicester", "norwich", " Ipswich "])
        return (answered | st.builds(lambda v: {"answer": key, "equals": v}, words)
                | st.builds(lambda vs: {"answer": key, "in": vs}, st.lists(words, min_size=1)))
    if qtype == "date":
        value = st.dates().map(date.isoformat) | st.builds(
            lambda n: {"years_before_today": n}, st.integers(0, 150))
        return answered | st.builds(lambda op, v: {"answer": key, "op": op, "value": v},
                                    st.sampled_from(["<", "<=", ">", ">=", "=="]), value)
    return answered


# Condition trees are drawn as a fixed shape whose leaves are numbers, then filled in with
# tests on the generated questions (or refs), so the recursive strategy is built only once.
SHAPES = st.recursive(
    st.integers(0, 99),
    lambda inner: st.tuples(st.sampled_from(["all", "any"]), st.lists(inner, min_size=1,
                                                                      max_size=3))
    | st.tuples(st.just("not"), inner),
    max_leaves=8)


@st.composite
def conditions(draw, questions, definition_names=()):
    def build(shape):
        if isinstance(shape, int):
            choice = shape % (len(questions) + len(definition_names))
            if choice >= len(questions):
                return {"ref": definition_names[choice - len(questions)]}
            question = questions[choice]
            values = tuple(o["value"] for o in question.get("options", []))
            return draw(answer_tests(question["key"], question["type"], values))
        tag, inner = shape
        return {"not": build(inner)} if tag == "not" else {tag: [build(s) for s in inner]}

    return build(draw(SHAPES))


@st.composite
def valid_setups(draw):
    questions = draw(question_lists())
    definitions = {}
    for i in range(draw(st.integers(0, 3))):  # each may use earlier ones only: no cycles
        definitions[f"d{i}"] = draw(conditions(questions, list(definitions)))
    rules = [{"key": f"r{i}", "reason": "Because", "when": draw(conditions(questions,
                                                                            list(definitions)))}
             for i in range(draw(st.integers(0, 4)))]
    return questions, {"rules": rules, "definitions": definitions}


def well_typed_answer(question):
    blank = st.sampled_from([None, "", "  "])
    values = [o["value"] for o in question.get("options", [])]
    typed = {"yes_no": st.booleans(), "single_choice": st.sampled_from(values or ["x"]),
             "multiple_choice": st.lists(st.sampled_from(values or ["x"]), unique=True),
             "short_text": st.sampled_from(["Leicester", "NORWICH", "Ipswich "]),
             "long_text": st.text(max_size=20), "date": st.dates().map(date.isoformat)}
    return blank | typed[question["type"]]


def answer_sets(questions):
    keys = [q["key"] for q in questions]
    junk = st.dictionaries(st.sampled_from(keys) | st.text(max_size=4), JSONISH, max_size=6)
    typed = st.fixed_dictionaries({}, optional={q["key"]: well_typed_answer(q) for q in questions})
    return junk | typed


@PROPERTY_SETTINGS
@given(setup=valid_setups(), data=st.data(), today=st.dates())
def test_evaluate_never_raises_on_valid_rule_sets(setup, data, today):
    questions, rules = setup
    assert validate_rule_set(questions, rules) == []
    result = evaluate(questions, rules, data.draw(answer_sets(questions)), today)
    assert result.outcome in (ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW)
    outcomes = [r["outcome"] for r in result.results]
    assert len(outcomes) == len(rules["rules"])
    expected = (NOT_ELIGIBLE if FAIL in outcomes else NEEDS_REVIEW if UNDECIDED in outcomes
                else ELIGIBLE)
    assert result.outcome == expected
    assert all(isinstance(describe(rule["when"], questions, rules["definitions"]), str)
               for rule in rules["rules"])


@PROPERTY_SETTINGS
@given(setup=valid_setups(), data=st.data(), today=st.dates())
def test_double_negation_and_de_morgan(setup, data, today):
    questions, rules = setup
    definitions = rules["definitions"]
    left, right = (data.draw(conditions(questions, list(definitions))) for _ in range(2))
    answers = data.draw(answer_sets(questions))

    def judge(condition):
        return evaluate_condition(condition, questions, answers, definitions=definitions,
                                  today=today)

    assert judge({"not": {"not": left}}) == judge(left)
    assert judge({"not": {"all": [left, right]}}) == judge(
        {"any": [{"not": left}, {"not": right}]})


JUNK_CONDITIONS = st.recursive(
    JSONISH | st.fixed_dictionaries({"answer": st.sampled_from(["lived", "route", "x"])},
                                    optional={"is": JSONISH, "in": JSONISH, "op": JSONISH,
                                              "value": JSONISH, "of": JSONISH,
                                              "count_at_least": JSONISH}),
    lambda inner: st.dictionaries(
        st.sampled_from(["all", "any", "not", "ref", "answered", "answer"]),
        inner | st.lists(inner, max_size=3), min_size=1, max_size=2),
    max_leaves=6)


@PROPERTY_SETTINGS
@given(questions=JSONISH | st.just(SAMPLE_QUESTIONS),
       rules=JSONISH | st.fixed_dictionaries(
           {"rules": st.lists(st.fixed_dictionaries(
               {}, optional={"key": JSONISH, "reason": JSONISH, "when": JUNK_CONDITIONS}),
               max_size=3)},
           optional={"definitions": st.dictionaries(
               st.sampled_from(["a", "b"]) | st.text(max_size=3), JUNK_CONDITIONS, max_size=3)}))
def test_validation_never_raises_on_junk(questions, rules):
    problems = validate_rule_set(questions, rules)
    assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)
    assert isinstance(validate_questions(questions), list)
    for rule in rules.get("rules", []) if isinstance(rules, dict) else []:
        assert isinstance(describe(rule.get("when"), questions, rules.get("definitions")), str)
