"""What an applicant's answers say, in the words they were asked and answered in.

The one place that turns a stored answer (``True``, ``["gp_referral"]``, ``"1985-03-27"``)
into the question's label and the chosen options' texts ("Yes", "A specialist referral
from a GP", "27 March 1985"). Check your answers, the coordinators' application and review
pages and the subject access report all use it, so none of them shows a key or a value.
"""

from __future__ import annotations

from collections.abc import Mapping

from peerpath.datewords import nhs_date
from tenants.eligibility.rules import ELIGIBLE, NEEDS_REVIEW, NOT_ELIGIBLE
from tenants.eligibility.validation import index_questions, parse_date

NOT_ANSWERED = "Not answered"
# A draft or an old application can hold an answer to a question its trust no longer asks.
FORMER_QUESTION = "A question that is no longer asked"
OUTCOME_WORDS = {ELIGIBLE: "Eligible", NOT_ELIGIBLE: "Not eligible",
                 NEEDS_REVIEW: "Needs review by a coordinator"}
RESULT_WORDS = {"pass": "Met", "fail": "Not met", "undecided": "Cannot tell from the answers"}
# Versions saved before options could be marked exclusive still have a "None of these".
EXCLUSIVE_BY_DEFAULT = "none_of_these"


def is_exclusive(option: Mapping) -> bool:
    """True for an option such as "None of these" that cannot be chosen with any other."""
    return bool(option.get("exclusive", option.get("value") == EXCLUSIVE_BY_DEFAULT))


def exclusive_values(question: Mapping) -> set[str]:
    if question.get("type") != "multiple_choice":
        return set()
    return {o["value"] for o in question.get("options") or () if is_exclusive(o)}


def answer_words(question: Mapping, value) -> str:
    """One answer in words, e.g. "Yes" or "A specialist referral from a GP; Seeing a CPN"."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    indexed = index_questions([question]).get(question.get("key"))
    labels = indexed.options if indexed else {}
    kind = question.get("type")
    if kind == "yes_no" and isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "multiple_choice" and isinstance(value, list):
        return "; ".join(labels.get(v, str(v)) for v in value)
    if kind == "single_choice" and isinstance(value, str):
        return labels.get(value, value)
    if kind == "date":
        day = parse_date(value)
        return nhs_date(day, weekday=False) if day else str(value)
    return str(value)


def answers_in_words(questions, answers: Mapping | None, *, former_questions: bool = True
                     ) -> list[dict]:
    """{"key", "label", "value"} per question asked, in order, then (unless not wanted) any
    answer to a question no longer asked, so staff and a subject access report see
    everything that is held."""
    answers = answers or {}
    rows, asked = [], set()
    for question in questions if isinstance(questions, list) else ():
        if not isinstance(question, Mapping) or not isinstance(question.get("key"), str):
            continue
        key = question["key"]
        asked.add(key)
        rows.append({"key": key, "label": question.get("label") or FORMER_QUESTION,
                     "value": answer_words(question, answers.get(key))})
    for key, value in answers.items() if former_questions else ():
        if key not in asked:
            rows.append({"key": key, "label": FORMER_QUESTION,
                         "value": answer_words({"key": key, "type": "short_text"},
                                               _plain(value))})
    return rows


def results_in_words(results) -> list[dict]:
    """Stored per-rule eligibility results as {"outcome", "reason"} in words."""
    return [{"outcome": RESULT_WORDS.get(r.get("outcome"), NOT_ANSWERED),
             "reason": r.get("reason") or ""}
            for r in results or () if isinstance(r, Mapping)]


def _plain(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value
