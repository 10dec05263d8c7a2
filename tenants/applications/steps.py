"""The EOI journey as a list of steps: the trust's questions, one per page, then our own.

A step is a configured page (its key: a question, a guidance page or an exit page) or one
of EXTRA_STEPS. The trust's pages follow its branches (tenants.eligibility.routing); an exit
page ends the form. `read_step` turns a posted form into what is stored, with marshmallow at
the edge (peerpath.forms.load_form).
"""

from __future__ import annotations

from peerpath.forms import load_form
from tenants.applications import schemas
from tenants.eligibility import routing

DISABILITY_CONFIDENT = "disability-confident"
COMMUNICATION_NEEDS = "communication-needs"
EQUALITY = "equality-monitoring"
# The platform asks every trust's applicants this one, outside the trust's own questions.
WHERE_HEARD = "where-heard"
EXTRA_STEPS = (DISABILITY_CONFIDENT, COMMUNICATION_NEEDS, EQUALITY, WHERE_HEARD)
EXTRA_TITLES = {
    DISABILITY_CONFIDENT: "Disability Confident scheme",
    COMMUNICATION_NEEDS: "How we contact you",
    EQUALITY: "Equality monitoring",
    WHERE_HEARD: "Where did you first hear about the training?",
}


def extra_steps(disability_confident: bool) -> tuple[str, ...]:
    """Our own steps after the trust's: the Disability Confident question (a guaranteed
    interview) only at a trust that says it is a Disability Confident employer."""
    return tuple(step for step in EXTRA_STEPS
                 if disability_confident or step != DISABILITY_CONFIDENT)


def step_names(questions: list[dict], extras: tuple[str, ...] = EXTRA_STEPS) -> list[str]:
    return [q["key"] for q in questions] + list(extras)


def trail(questions: list[dict], answers: dict, extras: tuple[str, ...] = EXTRA_STEPS
          ) -> list[str]:
    """The steps these answers lead through, in order (only the trust's, if they exit)."""
    walked = routing.path(questions, answers)
    return walked if routing.ended_at_exit(questions, answers) else walked + list(extras)


def first_step(questions: list[dict], extras: tuple[str, ...] = EXTRA_STEPS) -> str:
    return routing.first_page(questions) or extras[0]


def previous_step(questions: list[dict], step: str, answers: dict,
                  extras: tuple[str, ...] = EXTRA_STEPS) -> str | None:
    walked = trail(questions, answers, extras)
    index = walked.index(step) if step in walked else 0
    return walked[index - 1] if index else None


def next_step(questions: list[dict], step: str, answers: dict,
              extras: tuple[str, ...] = EXTRA_STEPS) -> str | None:
    """The step after ``step`` for these answers; None after the last one."""
    if step in extras:
        index = extras.index(step)
        return extras[index + 1] if index + 1 < len(extras) else None
    if is_exit(questions, step):
        return None
    return routing.next_page(questions, step, answers) or extras[0]


def is_exit(questions: list[dict], step: str) -> bool:
    page = question_for(questions, step)
    return page is not None and page["type"] == routing.EXIT


def asked(questions: list[dict], answers: dict) -> list[dict]:
    """The questions these answers lead through (not guidance or exit pages)."""
    walked = set(routing.path(questions, answers))
    return [q for q in questions if q["key"] in walked and routing.asks_something(q)]


def question_for(questions: list[dict], step: str) -> dict | None:
    return next((q for q in questions if q["key"] == step), None)


def read_step(questions: list[dict], step: str, form) -> tuple[dict, dict, dict]:
    """(changes to the answers, errors, values to show again) for a posted step."""
    question = question_for(questions, step)
    if question is not None and not routing.asks_something(question):
        return {}, {}, {}
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
              EQUALITY: schemas.EqualitySchema,
              WHERE_HEARD: schemas.HeardViaSchema}[step]()
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
