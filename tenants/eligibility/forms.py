"""Form schemas for the eligibility settings pages and API (versions and previews)."""

from __future__ import annotations

import json

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from tenants.eligibility.service import configuration_problems


class VersionSchema(Schema):
    """A new version: questions and rule set (JSON text in the HTML form, objects in JSON)."""

    questions = fields.Raw(required=True, error_messages={"required": "Enter the questions"})
    rule_set = fields.Raw(required=True, error_messages={"required": "Enter the rules"})
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=500, error="The note must be 500 "
                                                                 "characters or fewer"))
    publish = fields.Boolean(load_default=False)

    @pre_load
    def _parse_json_text(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("Send an object with questions and rule_set")
        data = dict(data)
        for name, words in (("questions", "questions"), ("rule_set", "rules")):
            value = data.get(name)
            if isinstance(value, str):
                if not value.strip():
                    data.pop(name)
                    continue
                try:
                    data[name] = json.loads(value)
                except ValueError as exc:
                    raise ValidationError({name: [f"The {words} are not valid JSON: {exc}"]}
                                          ) from exc
        if data.get("note") == "":
            data["note"] = None
        return data

    @validates_schema
    def _check(self, data, **kwargs):
        if not isinstance(data["questions"], list):
            raise ValidationError("The questions must be a JSON list", field_name="questions")
        if not isinstance(data["rule_set"], dict):
            raise ValidationError('The rules must be a JSON object with "rules"',
                                  field_name="rule_set")
        problems = configuration_problems(data["questions"], data["rule_set"])
        question_problems = [p for p in problems if p.startswith("questions")]
        errors = {}
        if question_problems:
            errors["questions"] = question_problems
        if len(problems) > len(question_problems):
            errors["rule_set"] = [p for p in problems if not p.startswith("questions")]
        if errors:
            raise ValidationError(errors)


def answers_from_form(questions: list, form) -> dict:
    """Sample answers typed on the preview page, shaped as the rule engine expects."""
    answers = {}
    for question in questions:
        key, kind = question["key"], question["type"]
        if kind == "multiple_choice":
            chosen = form.getlist(key)
            answers[key] = chosen if chosen or form.get(f"{key}-shown") else None
        elif kind == "yes_no":
            answers[key] = {"yes": True, "no": False}.get(form.get(key))
        elif kind == "date":
            parts = [form.get(f"{key}-{p}", "").strip() for p in ("year", "month", "day")]
            answers[key] = "-".join(p.zfill(w) for p, w in zip(parts, (4, 2, 2), strict=True)) \
                if all(p.isdigit() for p in parts) else None
        else:
            answers[key] = form.get(key) or None
    return answers
