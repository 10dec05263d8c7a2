"""Equality monitoring in aggregate: totals per question for a cohort, never a row per
person and never beside a name (the answers are kept apart from selection)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tenants.applications.models import Application, EqualityMonitoring
from tenants.applications.schemas import EQUALITY_QUESTIONS


def totals(session, cohort_id: int) -> list[dict]:
    """Per question: its text and (answer text, count) for every option, in order."""
    counted = {key: Counter() for key, _, _ in EQUALITY_QUESTIONS}
    for answers in session.scalars(select(EqualityMonitoring.answers).join(
            Application, Application.id == EqualityMonitoring.application_id)
            .where(Application.cohort_id == cohort_id)):
        for key, counter in counted.items():
            if (answers or {}).get(key):
                counter[answers[key]] += 1
    return [{"key": key, "question": question,
             "answers": [{"answer": text, "count": counted[key][value]}
                         for value, text in options]}
            for key, question, options in EQUALITY_QUESTIONS]
