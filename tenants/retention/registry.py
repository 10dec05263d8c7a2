"""Hooks that other domains register, so retention, subject access and erasure reach data
this package knows nothing about.

Register from your domain's module at import time (the app factory and the worker import
every domain), e.g. in tenants/applications/data_protection.py:

    from tenants.retention.registry import (
        register_anonymiser, register_category, register_eraser, register_subject_data)

    register_anonymiser("applications", anonymise_past_retention)
    register_subject_data("applications", applicant_answers, records=applicant_records)
    register_eraser("applications", erase_applicant)

Contracts (all run in the trust's tenant session, inside the caller's transaction; do not
commit; raise to have your part rolled back and recorded as failed):

- anonymiser(session, policy: RetentionPolicy, today: date) -> {"what": count, ...}
  Replace personal data in records past `policy.cutoff(category, today)` with nothing or
  placeholders, keeping the rows (and so every aggregate figure) in place.
- subject data provider(session, subject_ref: str) -> dict | list
  Everything the domain holds about one applicant, JSON-serialisable (dates are fine).
- records(session, subject_ref) -> [(record_type, record_id), ...]   (optional)
  The audit trail's names for the applicant's records, so subject access can list who
  viewed them. ("applicant", subject_ref) is always included.
- eraser(session, subject_ref: str, request: ErasureRequest) -> {"what": count, ...}
  Anonymise one applicant now, as the anonymiser would, except what `request.keep`
  names (the trust must keep it; the reason is recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    hint: str
    default_months: int | None  # None: kept until the trust decides otherwise


@dataclass(frozen=True)
class SubjectData:
    name: str
    provide: Callable
    records: Callable | None = None


@dataclass(frozen=True)
class ErasureRequest:
    subject_ref: str
    reason: str
    keep: frozenset[str] = frozenset()  # provider names whose data the trust must keep
    kept_reason: str | None = None


CATEGORIES: dict[str, Category] = {}
ANONYMISERS: dict[str, Callable] = {}
SUBJECT_DATA: dict[str, SubjectData] = {}
ERASERS: dict[str, Callable] = {}


def register_category(key: str, label: str, hint: str, default_months: int | None) -> None:
    CATEGORIES[key] = Category(key, label, hint, default_months)


def register_anonymiser(name: str, fn: Callable) -> None:
    ANONYMISERS[name] = fn


def register_subject_data(name: str, fn: Callable, *, records: Callable | None = None) -> None:
    SUBJECT_DATA[name] = SubjectData(name, fn, records)


def register_eraser(name: str, fn: Callable) -> None:
    ERASERS[name] = fn


# The categories the issue names; domains may add more with register_category.
register_category("unsuccessful_applications", "Unsuccessful applications",
                  "Months after the cohort they applied for starts", 12)
register_category("withdrawn_applications", "Withdrawn applications",
                  "Months after the applicant withdrew", 6)
register_category("attendance_and_outcomes", "Training attendance and outcomes",
                  "Months after the cohort ends. Leave empty to keep them", None)
