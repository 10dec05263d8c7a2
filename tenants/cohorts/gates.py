"""Calendar gates: each stage of the pipeline knows its dates from the cohort.

Shortlisting opens the day after the closing date (earlier only by a lead, with a reason);
interview slots belong in interview week (outside it the coordinator confirms a warning);
training starts on the first training day, a register is kept only for a day that has
happened, completion comes on or after the last training day, and follow-ups are counted
from that last day. Services call these with `on` (today, London time) and refuse with a
sentence a coordinator can act on.
"""

from __future__ import annotations

import datetime as dt

from peerpath.refusal import Refused
from tenants.cohorts.calendar import LONDON
from tenants.cohorts.models import Cohort, TrainingDay

INTERVIEW_WEEK_DAYS = 5


class TooEarly(Refused):
    """A gate is shut on this date; the message says when it opens."""


def today() -> dt.date:
    return dt.datetime.now(LONDON).date()


def _in_words(day: dt.date) -> str:
    return f"{day:%A %-d %B %Y}"


def shortlisting_opens(cohort: Cohort) -> dt.date:
    return cohort.eoi_closes_on + dt.timedelta(days=1)


def check_shortlisting(cohort: Cohort, on: dt.date, *, early_reason: str | None = None,
                       is_lead: bool = False) -> bool:
    """True when this is an early shortlist that a lead has given a reason for (the caller
    audits it); raises TooEarly while applications are still open otherwise."""
    opens = shortlisting_opens(cohort)
    if on >= opens:
        return False
    if is_lead and (early_reason or "").strip():
        return True
    raise TooEarly(f"Applications are open until {_in_words(cohort.eoi_closes_on)}: the "
                   f"shortlist can be made final from {_in_words(opens)}. Only a lead can "
                   "make it final earlier, with a reason.", field="early_reason")


def interview_week(cohort: Cohort) -> tuple[dt.date, dt.date] | None:
    if cohort.interview_week_of is None:
        return None
    return cohort.interview_week_of, \
        cohort.interview_week_of + dt.timedelta(days=INTERVIEW_WEEK_DAYS - 1)


def interview_slot_warning(cohort: Cohort, day: dt.date) -> str | None:
    """A sentence to confirm when a slot falls outside interview week (None inside it, or
    when the cohort has no interview week)."""
    week = interview_week(cohort)
    if week is None or week[0] <= day <= week[1]:
        return None
    return (f"{_in_words(day)} is outside interview week ({_in_words(week[0])} to "
            f"{_in_words(week[1])}). Confirm that you want a slot on this day.")


def first_training_day(cohort: Cohort) -> dt.date:
    return cohort.days[0].on_date if cohort.days else cohort.starts_on


def last_training_day(cohort: Cohort) -> dt.date:
    return cohort.days[-1].on_date if cohort.days else cohort.starts_on


def check_training_start(cohort: Cohort, on: dt.date) -> None:
    first = first_training_day(cohort)
    if on < first:
        raise TooEarly(f"Training starts on {_in_words(first)}: it cannot be started "
                       "before then.")


def check_register(day: TrainingDay, on: dt.date) -> None:
    if on < day.on_date:
        raise TooEarly(f"The register for {_in_words(day.on_date)} can be kept from that "
                       "day: it has not happened yet.")


def check_completion(cohort: Cohort, on: dt.date) -> None:
    last = last_training_day(cohort)
    if on < last:
        raise TooEarly(f"The last training day is {_in_words(last)}: training can be "
                       "marked complete from then.")


def due_this_week(cohort: Cohort, on: dt.date) -> list[tuple[dt.date, str]]:
    """The cohort's dates in the Monday-to-Sunday week of `on`, for the cohort page."""
    monday = on - dt.timedelta(days=on.weekday())
    sunday = monday + dt.timedelta(days=6)
    dates = [(cohort.eoi_opens_on, "Applications open"),
             (cohort.eoi_closes_on, "Closing date for applications"),
             (shortlisting_opens(cohort), "Shortlisting can be made final")]
    week = interview_week(cohort)
    if week:
        dates += [(week[0], "Interview week begins")]
    dates += [(day.on_date, f"Training day {number}: register to keep")
              for number, day in enumerate(cohort.days, start=1)]
    dates += [(last_training_day(cohort), "Last training day: completions can be recorded")]
    return sorted((day, what) for day, what in dates if monday <= day <= sunday)
