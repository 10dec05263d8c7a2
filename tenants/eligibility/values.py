"""How the rule engine reads the values of date and number answers (and of rules about them).

Dates are YYYY-MM-DD (or a ``datetime.date``); numbers are what a number question accepts
(``tenants.applications.schemas``), text such as "18" or "-2.5", or an int or float.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

# date.fromisoformat accepts more shapes than YYYY-MM-DD since 3.11; we want only this one.
ISO_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER_PATTERN = re.compile(r"-?\d{1,40}(\.\d{1,40})?")
MAX_NUMBER = 10**15


def is_number(value) -> bool:
    """A finite int or float (not a bool): what a number rule compares with."""
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value)


def parse_number(value) -> int | float | None:
    """A number answer as stored (text such as "18" or "-2.5", or a number), else None."""
    if is_number(value):
        return value
    if isinstance(value, str) and NUMBER_PATTERN.fullmatch(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return None


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE_PATTERN.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # e.g. 2023-02-30
            return None
    return None
