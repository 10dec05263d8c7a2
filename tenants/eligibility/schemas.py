"""Marshmallow schemas for a trust's EOI questions and eligibility rule set.

Questions and rules are recursive, tagged JSON that marshmallow fields describe
poorly, so these schemas only fix the outer shape (which also documents it for
apispec) and hand the contents to ``validation.py``. That keeps a single source
of truth for what is valid, and the errors carry the same located messages, e.g.
``{"rule_set": ["rules[2].when.any[0].answer: unknown question 'availabilty'"]}``.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from tenants.eligibility.validation import (
    rule_set_problems,
    validate_questions,
    validate_rule_set,
)

QUESTIONS_HELP = (
    "EOI questions: objects with key, type (yes_no, single_choice, multiple_choice, "
    "short_text, long_text, date), label, optional hint, required, and options "
    "[{value, label}] for choice questions."
)
RULE_SET_HELP = (
    'Eligibility rules: {"rules": [{key, reason, applicant_reason, when}], '
    '"definitions": {name: condition}}. Every rule must pass to be eligible.'
)


class QuestionsSchema(Schema):
    """``{"questions": [...]}``: the question list on its own."""

    questions = fields.List(fields.Dict(), required=True, metadata={"description": QUESTIONS_HELP})

    @validates_schema
    def _check_questions(self, data, **kwargs):
        problems = validate_questions(data["questions"])
        if problems:
            raise ValidationError(problems, field_name="questions")


class RuleSetSchema(Schema):
    """A rule set itself, checked against the questions it refers to.

    ``RuleSetSchema(questions=trust_questions).load(rule_set)``. Problems with the
    questions are reported too, as a rule set cannot be sound over broken questions.
    """

    rules = fields.List(fields.Dict(), required=True, metadata={"description": RULE_SET_HELP})
    definitions = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        load_default=dict,
        metadata={"description": "Named conditions that rules reuse with {\"ref\": name}."},
    )

    def __init__(self, *, questions, **kwargs):
        super().__init__(**kwargs)
        self.questions = questions

    @validates_schema
    def _check_rule_set(self, data, **kwargs):
        problems = validate_rule_set(self.questions, data)
        if problems:
            raise ValidationError(problems)


class EligibilitySchema(Schema):
    """``{"questions": [...], "rule_set": {...}}``: what a trust saves, checked together.

    Use this whenever either part changes: removing a question or an option can
    break rules that were valid when they were saved.
    """

    questions = fields.List(fields.Dict(), required=True, metadata={"description": QUESTIONS_HELP})
    rule_set = fields.Dict(required=True, metadata={"description": RULE_SET_HELP})

    @validates_schema
    def _check_together(self, data, **kwargs):
        errors = {}
        question_problems = validate_questions(data["questions"])
        if question_problems:
            errors["questions"] = question_problems
        rule_problems = rule_set_problems(data["questions"], data["rule_set"])
        if rule_problems:
            errors["rule_set"] = rule_problems
        if errors:
            raise ValidationError(errors)
