"""Dates and times written the NHS way, for pages, e-mails and letters.

The NHS.UK content style: times as "9am", "2:30pm", "midday" and "midnight"; dates in full,
"Tuesday 3 June 2027" (no "3rd", no abbreviations, no leading zero). Aware datetimes are
shown as the clock on the wall in the UK, whatever zone they are stored in.

In templates these are the ``nhs_date`` and ``nhs_time`` filters (peerpath.ui):
``{{ slot.starts_at | nhs_date }} at {{ slot.starts_at | nhs_time }}``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")


def _local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(UK_TIME) if value.tzinfo is not None else value


def nhs_date(value: dt.date | dt.datetime | None, weekday: bool = True) -> str:
    """'Tuesday 3 June 2027', or '3 June 2027' without the weekday; '' for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if weekday else text


def nhs_time(value: dt.time | dt.datetime | None, seconds: bool = False) -> str:
    """'9am', '2:30pm', 'midday', 'midnight'; with ``seconds`` (audit trails) '2:30:05pm'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).timetz()
    if not (seconds and value.second) and value.minute == 0:
        if value.hour == 12:
            return "midday"
        if value.hour == 0:
            return "midnight"
    hour = value.hour % 12 or 12
    text = str(hour)
    if value.minute or (seconds and value.second):
        text += f":{value.minute:02d}"
    if seconds and value.second:
        text += f":{value.second:02d}"
    return text + ("am" if value.hour < 12 else "pm")


def nhs_date_time(value: dt.datetime | None, weekday: bool = True) -> str:
    """'Tuesday 3 June 2027 at 2:30pm'."""
    if value is None:
        return ""
    return f"{nhs_date(value, weekday)} at {nhs_time(value)}"


def time_range(start: dt.time | dt.datetime, end: dt.time | dt.datetime) -> str:
    """'9am to 12:30pm'."""
    return f"{nhs_time(start)} to {nhs_time(end)}"
