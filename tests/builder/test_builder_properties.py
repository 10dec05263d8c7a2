"""Property: every form the builder can save can be walked to its end by the EOI runner
(no dead ends, no loops) and judged by the rule engine for any answers.

Forms are made the way a coordinator makes them: a random run of builder operations (add a
page, branch, move, remove, add a rule), each kept only if the builder would save it.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenants.applications import steps
from tenants.eligibility import builder, builder_rules, routing
from tenants.eligibility.rules import ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE, evaluate
from tenants.eligibility.service import configuration_problems

# One-choice questions and exit pages come up often, so branches are common in the forms made.
KINDS = [*builder.TYPE_WORDS, *["single_choice"] * 4, "exit", "exit"]
LABELS = st.sampled_from(["Age", "Where do you live?", "Your story", "Ready?", "Sorry",
                          "Which days?", "Date of birth", "About the training", "Age"])
RULE_VALUES = st.sampled_from(["1", "18", "2001-02-03", "30 6 2008", "yes", "-2.5", "6", ""])
OPTIONS = st.lists(st.sampled_from(["Yes", "No", "Maybe", "Norfolk", "Suffolk", "Monday"]),
                   min_size=1, max_size=4, unique=True).map("\n".join)


def _saved(pages, rule_set, new_pages, new_rules=None):
    """What the builder keeps: the change if it passes the whole-form check, else the old."""
    new_rules = rule_set if new_rules is None else new_rules
    if configuration_problems(new_pages, new_rules):
        return pages, rule_set
    return new_pages, new_rules


def _operation(draw, pages, rule_set):
    action = draw(st.sampled_from(["add", "add", "add", "route", "route", "move", "remove",
                                   "rule", "rule", "edit"]))
    if action == "add":
        data = {"type": draw(st.sampled_from(KINDS)), "label": draw(LABELS),
                "required": draw(st.booleans()), "options": draw(OPTIONS),
                "none_of_these": draw(st.booleans()), "body": "Some words."}
        try:
            page = builder.page_from_form(data, pages, None)
        except builder.BuilderRefused:
            return pages, rule_set
        return _saved(pages, rule_set, builder.with_page(pages, page))
    if not pages:
        return pages, rule_set
    choices = [p for p in pages if p["type"] == "single_choice"]
    page = draw(st.sampled_from(choices if action == "route" and choices else pages))
    if action == "move":
        return _saved(pages, rule_set, builder.moved(pages, page["key"],
                                                      draw(st.sampled_from([-1, 1]))))
    if action == "remove":
        return _saved(pages, rule_set, builder.without(pages, page["key"]))
    if action == "edit" and page["type"] in ("single_choice", "multiple_choice"):
        return _edited(draw, pages, rule_set, page)
    if action == "route" and page["type"] == "single_choice":
        targets = [value for value, _ in builder.route_targets(pages, page["key"])]
        routes = {o["value"]: draw(st.sampled_from(targets)) for o in page["options"]}
        return _saved(pages, rule_set, builder.with_routes(pages, page["key"], routes))
    questions = builder_rules.rule_questions(pages)
    if action == "rule" and questions:
        question = draw(st.sampled_from(questions))
        test = draw(st.sampled_from([name for name, _ in builder_rules.tests_for(question)]))
        chosen = draw(st.lists(st.sampled_from([o["value"] for o in question.get("options")
                                                or [{"value": "x"}]]), unique=True))
        try:
            when = builder_rules.condition(question, test, chosen, draw(RULE_VALUES))
            new_rules = builder_rules.with_rule(
                rule_set, when, reason=draw(LABELS), applicant_reason=None,
                join=draw(st.sampled_from(["", *(f"{kind}:{r['key']}" for r in rule_set["rules"]
                                                 for kind in ("all", "any"))])))
        except builder.BuilderRefused:
            return pages, rule_set
        return _saved(pages, rule_set, pages, new_rules)
    return pages, rule_set


def _edited(draw, pages, rule_set, page):
    """Reword, remove and add options of a choice page, as its edit form does."""
    own = builder.own_options(page)
    data = {"type": page["type"], "label": page["label"], "required": page["required"],
            "options": draw(st.sampled_from(["", "Wales", "Maybe\nWales"])),
            "none_of_these": draw(st.booleans()),
            "existing": {o["value"]: draw(st.sampled_from([o["label"], "Reworded " + o["label"],
                                                           "", "Yes"])) for o in own},
            "removed": draw(st.lists(st.sampled_from([o["value"] for o in own]), unique=True))}
    try:
        edited = builder.page_from_form(data, pages, page, rule_set)
    except builder.BuilderRefused as refused:
        used = builder.options_used_by_rules(rule_set, page["key"])
        if "existing-options" in refused.problems and "rule" in refused.problems[
                "existing-options"]:
            assert set(data["removed"]) & set(used), "refused a removal no rule needed"
        return pages, rule_set
    # Every option kept keeps its value; a new one never takes a value that was in use.
    kept = {o["value"] for o in own} - set(data["removed"])
    values = [o["value"] for o in edited["options"]]
    assert kept <= set(values) and len(values) == len(set(values))
    assert not set(data["removed"]) & set(values)
    assert not set(data["removed"]) & set(builder.options_used_by_rules(rule_set, page["key"]))
    return _saved(pages, rule_set, builder.with_page(pages, edited))


@st.composite
def built_forms(draw):
    pages, rule_set = [], {"rules": [], "definitions": {}}
    for _ in range(draw(st.integers(0, 14))):
        pages, rule_set = _operation(draw, pages, rule_set)
    return pages, rule_set


def _any_answer(question):
    options = [o["value"] for o in question.get("options", ())]
    junk = st.one_of(st.none(), st.text(max_size=5), st.booleans(), st.just("2000-01-01"),
                     st.lists(st.sampled_from(options or ["x"]), unique=True),
                     st.integers(-50, 50), st.floats(), st.sampled_from(["7", "-3.5", "1e3"]),
                     st.dates().map(dt.date.isoformat))
    # Mostly a real option for choice questions, so branches are taken.
    return st.one_of(st.sampled_from(options), st.sampled_from(options), junk) if options \
        else junk


@st.composite
def forms_and_answers(draw):
    pages, rule_set = draw(built_forms())
    answers = {p["key"]: draw(_any_answer(p)) for p in pages if draw(st.booleans())}
    return pages, rule_set, answers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms_and_answers())
def test_every_saved_form_walks_to_its_end_and_can_be_judged(form):
    pages, rule_set, answers = form
    assert configuration_problems(pages, rule_set) == []
    # The runner, step by step from the first page, as views_apply does.
    step, seen = steps.first_step(pages), []
    while step is not None:
        assert step not in seen, f"loop at {step}"
        assert step in steps.step_names(pages), f"dead end: {step} is not a page"
        seen.append(step)
        step = steps.next_step(pages, step, answers)
    ended = routing.ended_at_exit(pages, answers)
    assert seen[-1] == (ended or steps.EXTRA_STEPS[-1])
    assert [s for s in seen if s not in steps.EXTRA_STEPS] == routing.path(pages, answers)
    judged = evaluate(pages, rule_set, answers)
    assert judged.outcome in (ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW)
    assert len(judged.results) == len(rule_set["rules"])
    assert evaluate(pages, rule_set, routing.answers_on_path(pages, answers)).outcome in (
        ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW)


@settings(max_examples=100, deadline=None)
@given(built_forms())
def test_every_page_the_builder_warns_nothing_about_can_be_reached(form):
    pages, _ = form
    reachable = routing.reachable(pages)
    warned = routing.unreachable_warnings(pages)
    assert len(warned) == len([p for p in pages if p["key"] not in reachable])


NUMBER_TESTS = {"number_at_least": lambda answer, value: answer >= value,
                "number_at_most": lambda answer, value: answer <= value}
DATE_TESTS = {"before": lambda answer, value: answer < value,
              "after": lambda answer, value: answer > value}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(NUMBER_TESTS)), st.integers(-1000, 1000),
       st.one_of(st.integers(-1000, 1000), st.floats(-1000, 1000).map(lambda x: round(x, 2))),
       st.booleans())
def test_number_rules_the_builder_writes_judge_like_the_comparison_they_name(
        test, value, answer, as_text):
    question = {"key": "hours", "type": "number", "label": "Hours", "required": True}
    when = builder_rules.condition(question, test, [], str(value))
    rule_set = builder_rules.with_rule({"rules": []}, when, reason="Hours",
                                       applicant_reason=None)
    given_answer = str(answer) if as_text else answer
    outcome = evaluate([question], rule_set, {"hours": given_answer}).results[0]["outcome"]
    assert outcome == ("pass" if NUMBER_TESTS[test](answer, value) else "fail")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(DATE_TESTS)), st.dates(dt.date(1900, 1, 1)),
       st.dates(dt.date(1900, 1, 1)))
def test_date_rules_the_builder_writes_judge_like_the_comparison_they_name(test, value, answer):
    question = {"key": "started", "type": "date", "label": "Started", "required": True}
    when = builder_rules.condition(question, test, [], f"{value.day} {value.month} {value.year}")
    rule_set = builder_rules.with_rule({"rules": []}, when, reason="Started",
                                       applicant_reason=None)
    outcome = evaluate([question], rule_set, {"started": answer.isoformat()}).results[0]
    assert outcome["outcome"] == ("pass" if DATE_TESTS[test](answer, value) else "fail")
