"""Equality monitoring in aggregate: totals per question, never a row per person and never
beside a name (the answers are kept apart from selection), with small numbers suppressed.

The one suppression rule for every page, report, download and API answer that shows
equality counts (`hide_small`): a count from 1 to 4 is shown as "fewer than 5"; and
because the total of a question is always knowable (everyone is counted once, "not
answered" included, and the reports show how many applied), a hidden count must not be
found by subtracting the shown ones from it. So while the hidden counts could be worked
out (fewer than two hidden, fewer than 5 together, or a sum that only one split allows),
the smallest shown count is hidden too ("not shown").
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


def _bounds(count: int) -> tuple[int, float]:
    """What a reader can tell of a hidden count from its words ("fewer than 5": 1 to 4;
    "not shown": 5 or more, as a zero is always shown)."""
    return (1, SMALL - 1) if count < SMALL else (SMALL, float("inf"))


def _worked_out(counts: Sequence[int], hidden: set[int]) -> bool:
    """Whether a hidden count, or their sum, could be worked out from the total: fewer than
    two hidden, fewer than 5 together, or a sum that only one split allows (two counts of
    "fewer than 5" that make 8 are both 4)."""
    if len(hidden) < 2:
        return True
    together = sum(counts[i] for i in hidden)
    least = sum(_bounds(counts[i])[0] for i in hidden)
    most = sum(_bounds(counts[i])[1] for i in hidden)
    return together < SMALL or not least < together < most


def hide_small(counts: Sequence[int], hidden: set[int] | None = None) -> set[int]:
    """The positions of `counts` (one question's answers, adding up to a known total) to
    hide: every count from 1 to 4, any in `hidden` already, and then the smallest shown
    count until the hidden ones cannot be worked out from the total. A zero is always shown
    (nobody is in it); when every other count is hidden and they could still be worked out,
    the total itself is the small number, shown as "fewer than 5" where it is below 5."""
    hidden = {i for i in (hidden or ()) if counts[i]} \
        | {i for i, n in enumerate(counts) if 0 < n < SMALL}
    while hidden and _worked_out(counts, hidden):
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
