"""What a cohort's calendar means to people: key dates, bank holidays, a month-view picture
and an .ics file.

Bank holidays come from govuk-bank-holidays' offline copy (England and Wales, where both
demo trusts are); the service never calls GOV.UK at request time. Dates past the copy's
last year simply carry no flag.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from govuk_bank_holidays.bank_holidays import BankHolidays

from peerpath import ics as calendar_files
from tenants.cohorts.models import Cohort

LONDON = calendar_files.LONDON
WEEK = dt.timedelta(days=7)


@lru_cache(maxsize=1)
def _bank_holidays() -> dict[dt.date, str]:
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(
        division=BankHolidays.ENGLAND_AND_WALES)
    return {holiday["date"]: holiday["title"] for holiday in holidays}


def bank_holiday(day: dt.date) -> str | None:
    """The bank holiday's name if ``day`` is one in England and Wales."""
    return _bank_holidays().get(day)


def bank_holidays_between(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    return sorted((day, name) for day, name in _bank_holidays().items() if first <= day <= last)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and bank_holiday(day) is None


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day `count` working days after `day` (weekends and England and Wales
    bank holidays do not count); a negative `count` goes back."""
    step = dt.timedelta(days=1 if count >= 0 else -1)
    left = abs(count)
    while left:
        day += step
        if is_working_day(day):
            left -= 1
    return day


@dataclass(frozen=True)
class KeyDate:
    key: str  # eoi_opens, eoi_closes, shortlisting, interviews, starts, training_day
    title: str
    first: dt.date
    last: dt.date  # the same day, or the end of a week
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str | None = None
    bank_holidays: tuple[str, ...] = ()  # e.g. ("Monday 25 August 2025 is Summer bank holiday",)

    @property
    def is_week(self) -> bool:
        return self.last != self.first

    @property
    def public_first(self) -> dt.date:
        """The day the public is told a week starts: a bank holiday Monday moves it on."""
        day = self.first
        while self.is_week and day < self.last and bank_holiday(day):
            day += dt.timedelta(days=1)
        return day

    @property
    def public_note(self) -> str | None:
        """Why a public date reads as it does, only where a bank holiday changes it."""
        if self.is_week and self.public_first != self.first:
            return f"{self.first:%A} {self.first.day} {self.first:%B} is a bank holiday"
        if not self.is_week and bank_holiday(self.first):
            return f"a bank holiday, {bank_holiday(self.first)}"
        return None


def _flags(first: dt.date, last: dt.date) -> tuple[str, ...]:
    return tuple(f"{day:%A %-d %B %Y} is a bank holiday ({name})"
                 for day, name in bank_holidays_between(first, last))


def key_dates(cohort: Cohort, *, with_training_days: bool = True) -> list[KeyDate]:
    """The cohort's dates in time order, each flagged when it meets a bank holiday."""
    dates = []

    def add(key, title, first, last=None, **extra):
        last = last or first
        dates.append(KeyDate(key, title, first, last, bank_holidays=_flags(first, last), **extra))

    add("eoi_opens", "Applications open", cohort.eoi_opens_on)
    add("eoi_closes", "Closing date for applications", cohort.eoi_closes_on)
    for key, title, monday in (("shortlisting", "Shortlisting week", cohort.shortlisting_week_of),
                               ("interviews", "Interview week", cohort.interview_week_of)):
        if monday:
            add(key, title, monday, monday + dt.timedelta(days=4))
    add("starts", "Training starts", cohort.starts_on)
    if with_training_days:
        for number, day in enumerate(cohort.days, start=1):
            add("training_day", f"Training day {number} ({day.kind})", day.on_date,
                starts_at=day.starts_at, ends_at=day.ends_at, place=day.place)
    return sorted(dates, key=lambda d: (d.first, d.starts_at or dt.time.min))


# --- Month view -------------------------------------------------------------------------

# Fill colours from the NHS identity palette; every marked day also carries a text letter
# and the list beside the picture, so nothing depends on colour alone.
MARKS = {
    "eoi": ("#E8EDEE", "A", "Applications open"),
    "eoi_closes": ("#FFB81C", "C", "Closing date"),
    "shortlisting": ("#D5E8F3", "S", "Shortlisting week"),
    "interviews": ("#C8E6D6", "I", "Interview week"),
    "training_day": ("#005EB8", "T", "Training day"),
    "bank_holiday": ("#DA291C", "B", "Bank holiday"),
}
CELL, HEAD = 44, 26


@dataclass(frozen=True)
class MonthPicture:
    year: int
    month: int
    title: str
    svg_cells: list[dict]  # x, y, day, fill, text colour, letters, label
    description: str
    height: int


def day_marks(cohort: Cohort) -> dict[dt.date, list[str]]:
    marks: dict[dt.date, list[str]] = {}

    def mark(first: dt.date, last: dt.date, kind: str):
        day = first
        while day <= last:
            marks.setdefault(day, []).append(kind)
            day += dt.timedelta(days=1)

    mark(cohort.eoi_opens_on, cohort.eoi_closes_on - dt.timedelta(days=1), "eoi")
    mark(cohort.eoi_closes_on, cohort.eoi_closes_on, "eoi_closes")
    for kind, monday in (("shortlisting", cohort.shortlisting_week_of),
                         ("interviews", cohort.interview_week_of)):
        if monday:
            mark(monday, monday + dt.timedelta(days=4), kind)
    for day in cohort.days:
        mark(day.on_date, day.on_date, "training_day")
    return marks


def month_pictures(cohort: Cohort) -> list[MonthPicture]:
    """One month grid (Monday first) per month from the window opening to the last date."""
    marks = day_marks(cohort)
    last = max([*marks, cohort.starts_on])
    year, month = cohort.eoi_opens_on.year, cohort.eoi_opens_on.month
    pictures = []
    while (year, month) <= (last.year, last.month) and len(pictures) < 24:
        pictures.append(_month(year, month, marks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return pictures


def _month(year: int, month: int, marks: dict[dt.date, list[str]]) -> MonthPicture:
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    cells, described = [], []
    for row, week in enumerate(weeks):
        for column, day in enumerate(week):
            if day.month != month:
                continue
            holiday = bank_holiday(day)
            kinds = [*marks.get(day, []), *(["bank_holiday"] if holiday else [])]
            main = next((k for k in ("bank_holiday", "training_day", "eoi_closes", "interviews",
                                     "shortlisting", "eoi") if k in kinds), None)
            fill = MARKS[main][0] if main else "#FFFFFF"
            labels = [f"Bank holiday: {holiday}" if k == "bank_holiday" else MARKS[k][2]
                      for k in kinds]
            cells.append({"x": column * CELL, "y": HEAD + row * CELL, "day": day.day,
                          "fill": fill,
                          "ink": "#FFFFFF" if main in ("training_day", "bank_holiday") else
                          "#212B32",
                          "letters": "".join(MARKS[k][1] for k in kinds),
                          "label": f"{day:%A %-d %B}: {', '.join(labels)}" if labels
                          else f"{day:%A %-d %B}"})
            if labels:
                described.append(f"{day:%-d %B}: {', '.join(labels)}")
    title = f"{dt.date(year, month, 1):%B %Y}"
    description = "; ".join(described) or "No key dates this month"
    return MonthPicture(year, month, title, cells, description, HEAD + len(weeks) * CELL)


# --- .ics -----------------------------------------------------------------------------------


def ics(cohort: Cohort, trust_slug: str, trust_name: str) -> bytes:
    """The cohort's key dates as an iCalendar file (peerpath.ics: London times, VTIMEZONE,
    one UID per key date, or per training day's date, that survives edits to the others)."""
    entries = []
    for key_date in key_dates(cohort):
        # A cohort has one of each key date and at most one training day a date.
        ref = f"{key_date.key}-{key_date.first:%Y-%m-%d}" if key_date.key == "training_day" \
            else key_date.key
        entry = {"uid": calendar_files.uid(f"cohort-{cohort.id}", ref, trust_slug),
                 "summary": f"{key_date.title}: {cohort.name}", "location": key_date.place or "",
                 "description": ("Note: " + "; ".join(key_date.bank_holidays))
                 if key_date.bank_holidays else ""}
        if key_date.starts_at:
            entries.append(calendar_files.CalendarEntry(
                start=dt.datetime.combine(key_date.first, key_date.starts_at, LONDON),
                end=dt.datetime.combine(key_date.first, key_date.ends_at, LONDON), **entry))
        else:
            entries.append(calendar_files.CalendarEntry(
                start=key_date.first, end=key_date.last + dt.timedelta(days=1), busy=False,
                **entry))
    return calendar_files.build(entries, name=f"{trust_name}: {cohort.name}")
