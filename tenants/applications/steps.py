"""The EOI journey as a list of steps: the trust's questions, one per page, then our own.

A step is a configured question (its key) or one of EXTRA_STEPS. `read_step` turns a
posted form into what is stored, with marshmallow at the edge (peerpath.forms.load_form).
"""

from __future__ import annotations

from peerpath.forms import load_form
from tenants.applications import schemas

DISABILITY_CONFIDENT = "disability-confident"
COMMUNICATION_NEEDS = "communication-needs"
EQUALITY = "equality-monitoring"
EXTRA_STEPS = (DISABILITY_CONFIDENT, COMMUNICATION_NEEDS, EQUALITY)
EXTRA_TITLES = {
    DISABILITY_CONFIDENT: "Disability Confident scheme",
    COMMUNICATION_NEEDS: "How we contact you",
    EQUALITY: "Equality monitoring",
}


def step_names(questions: list[dict]) -> list[str]:
    return [q["key"] for q in questions] + list(EXTRA_STEPS)


def neighbours(questions: list[dict], step: str) -> tuple[str | None, str | None]:
    """(previous, next) step names; None at either end."""
    names = step_names(questions)
    index = names.index(step)
    return (names[index - 1] if index else None,
            names[index + 1] if index + 1 < len(names) else None)


def question_for(questions: list[dict], step: str) -> dict | None:
    return next((q for q in questions if q["key"] == step), None)


def read_step(questions: list[dict], step: str, form) -> tuple[dict, dict, dict]:
    """(changes to the answers, errors, values to show again) for a posted step."""
    question = question_for(questions, step)
    if question is not None:
        multiple = question["type"] == "multiple_choice"
        loaded, errors = load_form(schemas.answer_schema(question), form,
                                   list_fields=("answer",) if multiple else ())
        if errors:
            return {}, errors, loaded
        answer = loaded.get("answer")
        if question["type"] == "yes_no" and answer is not None:
            answer = answer == "yes"
        return {step: answer}, {}, loaded
    schema = {DISABILITY_CONFIDENT: schemas.DisabilityConfidentSchema,
              COMMUNICATION_NEEDS: schemas.CommunicationNeedsSchema,
              EQUALITY: schemas.EqualitySchema}[step]()
    loaded, errors = load_form(schema, form)
    return ({} if errors else loaded), errors, loaded


def shown_values(question: dict | None, stored) -> dict:
    """Form values that show a stored answer again (for Back and Change)."""
    if question is None:
        return stored if isinstance(stored, dict) else {}
    if question["type"] == "yes_no" and isinstance(stored, bool):
        return {"answer": "yes" if stored else "no"}
    if question["type"] == "date" and isinstance(stored, str) and len(stored) == 10:
        year, month, day = stored.split("-")
        return {"answer-day": str(int(day)), "answer-month": str(int(month)), "answer-year": year}
    return {"answer": stored}
