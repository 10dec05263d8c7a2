"""The eligibility rule engine by example: outcomes, Kleene logic, validation messages, seeds.

Property-based tests are in test_eligibility_properties.py."""

from datetime import date

import pytest
from marshmallow import ValidationError

from tenants.eligibility import defaults
from tenants.eligibility.rules import (
    ELIGIBLE,
    FAIL,
    NEEDS_REVIEW,
    NOT_ELIGIBLE,
    PASS,
    UNDECIDED,
    InvalidRuleSet,
    describe,
    evaluate,
    evaluate_condition,
    validate_questions,
    validate_rule_set,
)
from tenants.eligibility.schemas import EligibilitySchema, QuestionsSchema, RuleSetSchema


def _options(*values):
    return [{"value": value, "label": value.replace("_", " ").capitalize()} for value in values]


QUESTIONS = [
    {"key": "lived", "type": "yes_no", "label": "Lived experience?"},
    {"key": "route", "type": "single_choice", "label": "Route", "options": _options("a", "b")},
    {"key": "routes", "type": "multiple_choice", "label": "Routes",
     "options": _options("gp", "psych", "cpn")},
    {"key": "town", "type": "short_text", "label": "Town"},
    {"key": "story", "type": "long_text", "label": "Story", "required": False},
    {"key": "born", "type": "date", "label": "Date of birth"},
]
TODAY = date(2026, 3, 15)
# Leaves with a known outcome under ANSWERS, for building the truth tables.
ANSWERS = {"lived": True}
LEAF = {PASS: {"answer": "lived", "is": True}, FAIL: {"answer": "lived", "is": False},
        UNDECIDED: {"answer": "town", "equals": "Leicester"}}
OUTCOMES = (PASS, FAIL, UNDECIDED)


def outcome(condition, answers, definitions=None, today=TODAY):
    return evaluate_condition(condition, QUESTIONS, answers, definitions=definitions, today=today)


def rule_set(*conditions, definitions=None):
    rules = [{"key": f"r{i}", "reason": f"reason {i}", "when": c} for i, c in enumerate(conditions)]
    return {"rules": rules, "definitions": definitions or {}}


# --- outcomes and three-valued logic ----------------------------------------------------


@pytest.mark.parametrize(("leaves", "expected"), [
    ((PASS, PASS), ELIGIBLE), ((PASS, UNDECIDED), NEEDS_REVIEW), ((UNDECIDED, FAIL), NOT_ELIGIBLE),
    ((FAIL, PASS), NOT_ELIGIBLE), ((), ELIGIBLE),
])
def test_overall_outcome(leaves, expected):
    result = evaluate(QUESTIONS, rule_set(*(LEAF[leaf] for leaf in leaves)), ANSWERS, TODAY)
    assert result.outcome == expected
    assert [r["outcome"] for r in result.results] == list(leaves)


def test_results_carry_reasons_and_fall_back_to_reason_for_applicants():
    rules = rule_set(LEAF[FAIL])
    rules["rules"][0]["applicant_reason"] = "Kind words"
    rules["rules"].append({"key": "plain", "reason": "Staff words", "when": LEAF[FAIL]})
    result = evaluate(QUESTIONS, rules, ANSWERS, TODAY)
    assert result.results[0] == {"key": "r0", "outcome": FAIL, "reason": "reason 0",
                                 "applicant_reason": "Kind words"}
    assert result.results[1]["applicant_reason"] == "Staff words"
    assert [r["key"] for r in result.rules_with(FAIL)] == ["r0", "plain"]


def _kleene_and(a, b):
    return FAIL if FAIL in (a, b) else UNDECIDED if UNDECIDED in (a, b) else PASS


def _kleene_or(a, b):
    return PASS if PASS in (a, b) else UNDECIDED if UNDECIDED in (a, b) else FAIL


@pytest.mark.parametrize("left", OUTCOMES)
@pytest.mark.parametrize("right", OUTCOMES)
def test_all_and_any_follow_kleene_tables(left, right):
    pair = [LEAF[left], LEAF[right]]
    assert outcome({"all": pair}, ANSWERS) == _kleene_and(left, right)
    assert outcome({"any": pair}, ANSWERS) == _kleene_or(left, right)


@pytest.mark.parametrize(("inner", "expected"), [(PASS, FAIL), (FAIL, PASS),
                                                 (UNDECIDED, UNDECIDED)])
def test_not_swaps_pass_and_fail_only(inner, expected):
    assert outcome({"not": LEAF[inner]}, ANSWERS) == expected


@pytest.mark.parametrize(("condition", "answers", "expected"), [
    ({"answer": "lived", "is": True}, {"lived": False}, FAIL),
    ({"answer": "lived", "is": True}, {"lived": "yes"}, UNDECIDED),  # wrong type
    ({"answer": "lived", "is": True}, {"lived": 1}, UNDECIDED),
    ({"answer": "lived", "is": True}, {}, UNDECIDED),
    ({"answer": "route", "equals": "a"}, {"route": "a"}, PASS),
    ({"answer": "route", "equals": "a"}, {"route": "b"}, FAIL),
    ({"answer": "route", "equals": "a"}, {"route": "zzz"}, UNDECIDED),  # unknown option
    ({"answer": "route", "in": ["a", "b"]}, {"route": "b"}, PASS),
    ({"answer": "town", "equals": "Leicester"}, {"town": "  leicester "}, PASS),
    ({"answer": "town", "in": ["Norwich", "Ipswich"]}, {"town": "Leicester"}, FAIL),
    ({"answer": "town", "equals": "Leicester"}, {"town": "   "}, UNDECIDED),
    ({"answer": "routes", "includes_any": ["gp", "cpn"]}, {"routes": ["cpn"]}, PASS),
    ({"answer": "routes", "includes_any": ["gp", "cpn"]}, {"routes": ["psych"]}, FAIL),
    ({"answer": "routes", "includes_any": ["gp"]}, {"routes": []}, FAIL),  # "none of these"
    ({"answer": "routes", "includes_any": ["gp"]}, {"routes": ["gp", "nope"]}, UNDECIDED),
    ({"answer": "routes", "includes_any": ["gp"]}, {"routes": "gp"}, UNDECIDED),
    ({"answer": "routes", "includes_all": ["gp", "cpn"]}, {"routes": ["cpn", "gp"]}, PASS),
    ({"answer": "routes", "includes_all": ["gp", "cpn"]}, {"routes": ["gp"]}, FAIL),
    ({"answer": "routes", "count_at_least": 2, "of": ["gp", "psych", "cpn"]},
     {"routes": ["gp", "cpn"]}, PASS),
    ({"answer": "routes", "count_at_least": 2, "of": ["gp", "psych", "cpn"]},
     {"routes": ["gp"]}, FAIL),
    ({"answered": "story"}, {"story": "Some words"}, PASS),
    ({"answered": "story"}, {"story": " \n"}, FAIL),
    ({"answered": "story"}, {}, FAIL),
    ({"answered": "story"}, {"story": ["not", "text"]}, UNDECIDED),
    ({"answered": "routes"}, {"routes": []}, FAIL),
    ({"answered": "lived"}, {"lived": False}, PASS),
])
def test_answer_tests(condition, answers, expected):
    assert outcome(condition, answers) == expected


ADULT = {"answer": "born", "op": "<=", "value": {"years_before_today": 18}}


@pytest.mark.parametrize(("born", "today", "expected"), [
    ("2008-03-15", TODAY, PASS),  # eighteenth birthday today
    ("2008-03-16", TODAY, FAIL),
    (date(1990, 1, 1), TODAY, PASS),
    ("2008-02-29", date(2026, 2, 28), FAIL),  # leap-day birthday: 18 on 1 March
    ("2008-02-29", date(2026, 3, 1), PASS),
    ("2006-02-28", date(2024, 2, 29), PASS),
    ("2023-02-30", TODAY, UNDECIDED),  # no such day
    ("15/03/2008", TODAY, UNDECIDED),
    (20080315, TODAY, UNDECIDED),
])
def test_date_comparisons_relative_to_today(born, today, expected):
    assert outcome(ADULT, {"born": born}, today=today) == expected


def test_date_comparison_with_fixed_date():
    condition = {"answer": "born", "op": ">", "value": "2000-01-01"}
    assert outcome(condition, {"born": "2000-01-02"}) == PASS
    assert outcome({**condition, "op": "=="}, {"born": "2000-01-01"}) == PASS


def test_refs_reuse_definitions():
    definitions = {"adult": ADULT, "adult_with_lived": {"all": [{"ref": "adult"}, LEAF[PASS]]}}
    answers = {"lived": True, "born": "1990-05-05"}
    assert outcome({"ref": "adult_with_lived"}, answers, definitions) == PASS


def test_answers_that_are_not_a_dict_are_all_blank():
    assert outcome(LEAF[PASS], ["lived", True]) == UNDECIDED


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(("when", "definitions", "message"), [
    ({"answer": "nope", "is": True}, {}, "rules[0].when.answer: unknown question 'nope'"),
    ({"answered": "nope"}, {}, "rules[0].when.answered: unknown question 'nope'"),
    ({"answer": "lived", "includes_any": ["a"]}, {},
     'rules[0].when.includes_any: "includes_any" cannot be used on yes_no question'),
    ({"answer": "lived", "is": "yes"}, {}, "rules[0].when.is: must be true or false"),
    ({"answer": "route", "equals": "c"}, {}, "rules[0].when.equals: 'c' is not an option of"),
    ({"answer": "routes", "includes_all": ["gp", "x"]}, {}, "'x' is not an option of question"),
    ({"answer": "town", "op": "<", "value": "2000-01-01"}, {},
     '"op" cannot be used on short_text question'),
    ({"answer": "born", "op": "~", "value": "2000-01-01"}, {}, "rules[0].when.op: '~' is not"),
    ({"answer": "born", "op": "<", "value": "yesterday"}, {}, "rules[0].when.value: 'yesterday'"),
    ({"answer": "born", "op": "<", "value": {"years_before_today": -1}}, {}, "years_before_today"),
    ({"answer": "routes", "count_at_least": 0, "of": ["gp"]}, {}, "count_at_least: must be"),
    ({"answer": "routes", "count_at_least": 3, "of": ["gp", "cpn"]}, {}, "fewer than 3"),
    ({"answer": "town", "in": []}, {}, "rules[0].when.in: must be a non-empty list"),
    ({"all": []}, {}, 'rules[0].when.all: "all" needs a non-empty list'),
    ({"any": [LEAF[PASS], {"any": []}]}, {}, "rules[0].when.any[1].any: "),
    ({"every": [LEAF[PASS]]}, {}, "rules[0].when: unknown condition with field(s) every"),
    (["lived"], {}, "rules[0].when: a condition must be an object"),
    ({"answer": "lived"}, {}, "rules[0].when: an answer condition needs exactly one test"),
    ({"answer": "lived", "is": True, "equals": True}, {}, "needs exactly one test"),
    ({"not": LEAF[PASS], "any": [LEAF[PASS]]}, {}, "unknown condition"),
    ({"ref": "missing"}, {}, "rules[0].when.ref: unknown definition 'missing'"),
    ({"ref": "a"}, {"a": {"ref": "b"}, "b": {"any": [LEAF[PASS], {"ref": "a"}]}},
     "definitions: cycle a -> b -> a"),
    ({"ref": "a"}, {"a": {"not": {"ref": "a"}}}, "definitions: cycle a -> a"),
    (LEAF[PASS], {"Bad Name": LEAF[PASS]}, "'Bad Name' is not a valid definition name"),
    (LEAF[PASS], {"d": {"answer": "ghost", "is": True}}, "definitions.d.answer: unknown question"),
])
def test_rule_set_problems_name_the_problem_and_place(when, definitions, message):
    problems = validate_rule_set(QUESTIONS, rule_set(when, definitions=definitions))
    assert any(message in problem for problem in problems), problems
    with pytest.raises(InvalidRuleSet):
        evaluate(QUESTIONS, rule_set(when, definitions=definitions), {})


def test_problem_path_reaches_deep_nodes():
    rules = rule_set(LEAF[PASS], LEAF[PASS], {"any": [{"answer": "lived", "equals": True}]})
    assert validate_rule_set(QUESTIONS, rules) == [
        'rules[2].when.any[0].equals: "equals" cannot be used on yes_no question \'lived\' '
        "(it suits single_choice, short_text; for yes_no use is)"]


def test_rule_level_problems():
    rules = rule_set(LEAF[PASS], LEAF[PASS])
    rules["rules"][1]["key"] = "r0"
    rules["rules"].append({"key": "no_reason", "when": LEAF[PASS], "colour": "red"})
    rules["rules"].append({"key": "blank_reason", "reason": "  "})
    rules["extra"] = 1
    problems = validate_rule_set(QUESTIONS, rules)
    for expected in ("rules[1].key: duplicate rule key 'r0'", "rules[2].reason: missing reason",
                     "rules[2]: unknown field(s) colour", "rules[3].reason: missing reason",
                     "rules[3].when: missing condition", "rule set: unknown field(s) extra"):
        assert any(expected in problem for problem in problems), (expected, problems)


@pytest.mark.parametrize(("rules", "message"), [
    ([], "rule set: must be an object"), ({"rules": "r"}, "rules: must be a list"),
    ({"rules": [], "definitions": []}, "definitions: must be an object"),
    ({"rules": ["x"]}, "rules[0]: must be an object"),
])
def test_malformed_rule_sets(rules, message):
    assert any(message in p for p in validate_rule_set(QUESTIONS, rules))


@pytest.mark.parametrize(("change", "message"), [
    ({"key": "Lived"}, "questions[0].key: 'Lived' is not a valid key"),
    ({"key": "x" * 64}, "is not a valid key"),
    ({"key": "route"}, "questions[1].key: duplicate question key 'route'"),
    # "number" became a real answer type with the question builder (issue 17).
    ({"type": "slider"}, "questions[0].type: unknown question type 'slider'"),
    ({"type": "single_choice"}, "questions[0].options: a choice question needs a list"),
    ({"type": "multiple_choice", "options": []}, "needs a list of at least one option"),
    ({"type": "single_choice", "options": _options("a", "a")},
     "questions[0].options[1].value: duplicate option value 'a'"),
    ({"type": "single_choice", "options": [{"value": "A b", "label": "x"}]}, "not a valid option"),
    ({"options": _options("a")}, "questions[0].options: only choice questions have options"),
    ({"label": ""}, "questions[0].label: every question needs a label"),
    ({"required": "yes"}, "questions[0].required: must be true or false"),
    ({"colour": "red"}, "questions[0]: unknown field(s) colour"),
])
def test_question_problems(change, message):
    questions = [{**QUESTIONS[0], **change}, *QUESTIONS[1:]]
    problems = validate_questions(questions)
    assert any(message in problem for problem in problems), problems
    assert validate_rule_set(questions, rule_set()) == problems


def test_question_list_must_be_a_list_of_objects():
    assert validate_questions({"key": "x"}) == ["questions: must be a list of questions"]
    assert validate_questions([7]) == ["questions[0]: must be an object with key, type and label"]
    assert validate_questions(QUESTIONS) == []


def _nested_not(levels, inner):
    for _ in range(levels):
        inner = {"not": inner}
    return inner


def test_nesting_is_bounded_including_definitions():
    too_deep = validate_rule_set(QUESTIONS, rule_set(_nested_not(1000, LEAF[PASS])))
    assert len(too_deep) == 1 and "conditions nested too deeply (limit 40)" in too_deep[0]
    definitions = {"deep": _nested_not(30, LEAF[PASS])}
    assert validate_rule_set(QUESTIONS, rule_set(
        {"all": [{"ref": "deep"}, _nested_not(30, LEAF[PASS])]}, definitions=definitions)) == []
    assert validate_rule_set(QUESTIONS, rule_set(
        _nested_not(15, {"ref": "deep"}), definitions=definitions)) == [
        "rules[0].when: conditions nested too deeply once definitions are followed (limit 40)"]
    assert describe(_nested_not(1001, LEAF[PASS]), QUESTIONS) == "(unrecognised condition)"


def test_questions_problems_are_part_of_rule_set_problems():
    questions = [*QUESTIONS, {"key": "bad key", "type": "yes_no", "label": "x"}]
    assert validate_rule_set(questions, rule_set(LEAF[PASS]))[0].startswith("questions[6].key")


# --- schemas, seeds and descriptions ----------------------------------------------------

SEEDS = [defaults.leicestershire_questions_and_rules, defaults.norfolk_suffolk_questions_and_rules,
         defaults.default_questions_and_rules]


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_rule_sets_validate_and_load(seed):
    questions, rules = seed()
    assert validate_rule_set(questions, rules) == []
    loaded = EligibilitySchema().load({"questions": questions, "rule_set": rules})
    assert loaded == {"questions": questions, "rule_set": rules}
    assert RuleSetSchema(questions=questions).load(rules) == rules
    assert not any(q["key"] in {"name", "email", "e_mail"} for q in questions)


def test_schemas_raise_with_located_messages():
    bad_rules = rule_set({"answer": "ghost", "is": True})
    with pytest.raises(ValidationError) as caught:
        EligibilitySchema().load({"questions": QUESTIONS, "rule_set": bad_rules})
    assert caught.value.messages == {
        "rule_set": ["rules[0].when.answer: unknown question 'ghost'"]}
    with pytest.raises(ValidationError) as caught:
        RuleSetSchema(questions=QUESTIONS).load(bad_rules)
    assert "rules[0].when.answer: unknown question 'ghost'" in caught.value.messages["_schema"]
    with pytest.raises(ValidationError) as caught:
        QuestionsSchema().load({"questions": [*QUESTIONS, QUESTIONS[0]]})
    assert caught.value.messages == {
        "questions": ["questions[6].key: duplicate question key 'lived'"]}


LPT_YES = {"understanding_of_peer_support": "Peers helping each other through shared experience",
           "available_all_training_days": True, "willing_to_share_experience": True,
           "committed_to_participate": True, "promoting_recovery": True,
           "want_to_work_at_lpt": True}


@pytest.mark.parametrize(("answers", "expected"), [
    ({**LPT_YES, "lived_experience_routes": ["cpn_or_social_worker"]}, ELIGIBLE),
    ({**LPT_YES, "lived_experience_routes": ["none_of_these"]}, NOT_ELIGIBLE),
    ({**LPT_YES, "lived_experience_routes": []}, NOT_ELIGIBLE),
    ({**LPT_YES, "lived_experience_routes": ["gp_referral"], "available_all_training_days": None},
     NEEDS_REVIEW),
    ({**LPT_YES, "lived_experience_routes": ["gp_referral"], "want_to_work_at_lpt": False},
     NOT_ELIGIBLE),
])
def test_leicestershire(answers, expected):
    questions, rules = defaults.leicestershire_questions_and_rules()
    result = evaluate(questions, rules, answers, TODAY)
    assert result.outcome == expected
    if expected == NEEDS_REVIEW:
        assert [r["key"] for r in result.rules_with(UNDECIDED)] == ["available_all_training_days"]


@pytest.mark.parametrize("previous", ["no", "yes_this_trust", "yes_other_provider", None])
def test_norfolk_suffolk_previous_training_is_informational(previous):
    questions, rules = defaults.norfolk_suffolk_questions_and_rules()
    answers = {"lived_experience": True, "available_all_course_days": True,
               "willing_to_use_experience": True, "previous_psw_training": previous}
    assert evaluate(questions, rules, answers, TODAY).outcome == ELIGIBLE


def test_describe():
    questions, rules = defaults.leicestershire_questions_and_rules()
    text = describe({"ref": "secondary_care_experience"}, questions, rules["definitions"])
    assert text.startswith("answered at least 1 of: A specialist referral from a GP, The "
                           "community mental health pathway")
    assert describe({"ref": "secondary_care_experience"}, questions) == (
        'meets "secondary_care_experience"')
    condition = {"all": [LEAF[PASS], {"any": [{"not": LEAF[PASS]}, {"answered": "story"}]}]}
    assert describe(condition, QUESTIONS) == (
        'answered yes to "Lived experience?" and (answered no to "Lived experience?" or '
        'answered "Story")')
    assert describe(ADULT, QUESTIONS) == '"Date of birth" is on or before the date 18 years ago'
    assert describe({"answer": "route", "equals": "a"}, QUESTIONS) == 'answered "A" to "Route"'
    assert describe({"not": {"answered": "town"}}, QUESTIONS) == 'did not answer "Town"'
    assert describe({"bogus": 1}, QUESTIONS) == "(unrecognised condition)"
    either = {"either": {"any": [LEAF[FAIL], {"answered": "story"}]}}
    assert describe({"all": [LEAF[PASS], {"ref": "either"}]}, QUESTIONS, either) == (
        'answered yes to "Lived experience?" and (answered no to "Lived experience?" or '
        'answered "Story")')
