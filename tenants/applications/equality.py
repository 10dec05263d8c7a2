"""Equality monitoring in aggregate: totals per question, never a row per person and never
beside a name (the answers are kept apart from selection), with small numbers suppressed.

The one suppression rule for every page, report, download and API answer that shows
equality counts (`hide_small`): a count from 1 to 4 is shown as "fewer than 5"; and
because the total of a question is always knowable (everyone is counted once, "not
answered" included, and the reports show how many applied), a hidden count must not be
found by subtracting the shown ones from it. So while fewer than two counts are hidden, or
the hidden ones add up to fewer than 5, the smallest shown count is hidden too ("not
shown").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select

from tenants.applications.models import Application, EqualityMonitoring
from tenants.applications.schemas import EQUALITY_QUESTIONS

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
FEWER_THAN_5 = "fewer than 5"
NOT_SHOWN = "not shown"  # a larger count hidden so that a small one cannot be worked out
NOT_ANSWERED = ("not_answered", "Not answered")
RULE = (f"Counts from 1 to 4 are shown as \"{FEWER_THAN_5}\", and another count is "
        f"\"{NOT_SHOWN}\" where it would let a small one be worked out from the total, so "
        "that nobody can be identified.")


def hide_small(counts: Sequence[int], hidden: set[int] | None = None) -> set[int]:
    """The positions of `counts` (one question's answers, adding up to a known total) to
    hide: every count from 1 to 4, any in `hidden` already, and then the smallest shown
    counts until at least two are hidden and they add up to 5 or more (or nothing else is
    left to hide)."""
    hidden = set(hidden or ()) | {i for i, n in enumerate(counts) if 0 < n < SMALL}
    while hidden and (len(hidden) < 2 or sum(counts[i] for i in hidden) < SMALL):
        shown = [i for i, n in enumerate(counts) if i not in hidden and n > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda i: (counts[i], i)))
    return hidden


def shown(count: int, position: int, hidden: set[int]) -> str:
    """A count in words, as `hide_small` decided."""
    if position not in hidden:
        return str(count)
    return FEWER_THAN_5 if count < SMALL else NOT_SHOWN


def shown_total(total: int) -> str:
    return FEWER_THAN_5 if 0 < total < SMALL else str(total)


def answer_options(options) -> tuple:
    """A question's options and "not answered", so its counts add up to everyone."""
    return (*options, NOT_ANSWERED)


def answer_of(answers: dict | None, key: str) -> str:
    return (answers or {}).get(key) or NOT_ANSWERED[0]


def cohort_answers(session, cohort_id: int) -> list[dict | None]:
    """The answer sets of everyone who applied to the cohort ({} or None where there are
    none): one statement, only ever counted."""
    return list(session.scalars(
        select(EqualityMonitoring.answers)
        .select_from(Application)
        .outerjoin(EqualityMonitoring, EqualityMonitoring.application_id == Application.id)
        .where(Application.cohort_id == cohort_id, Application.submitted_at.is_not(None))))


def totals(session, cohort_id: int) -> list[dict]:
    """Per question: its text and, for every option and "not answered", the count (None
    when hidden) and the count in words, suppressed by `hide_small`."""
    everyone = cohort_answers(session, cohort_id)
    result = []
    for key, question, options in EQUALITY_QUESTIONS:
        counted = Counter(answer_of(answers, key) for answers in everyone)
        choices = answer_options(options)
        counts = [counted[value] for value, _ in choices]
        hidden = hide_small(counts)
        result.append({"key": key, "question": question, "total": shown_total(len(everyone)),
                       "answers": [{"answer": text, "count": None if i in hidden else n,
                                    "shown": shown(n, i, hidden)}
                                   for i, ((_, text), n) in enumerate(zip(choices, counts,
                                                                          strict=True))]})
    return result
