"""The one builder of calendar files (.ics) that PeerPath gives people: a cohort's key dates,
a drop-in booking, an interview. Downloads and e-mail attachments come from here alike.

- Times are written in Europe/London, and every file carries that VTIMEZONE, so a calendar
  shows 9am as 9am whatever the reader's own zone, across the clock change.
- Each event has one UID, made by `uid()` from what the event is (a booking, a key date),
  never from when or how the file was made: a second download or an updated time replaces
  the entry in the person's calendar instead of adding a second one.
- SEQUENCE grows with time (seconds since EPOCH when the file is made), so a later file,
  an update or a cancellation, always outranks an earlier one (RFC 5546).
- A cancellation is METHOD:CANCEL with the same UID and STATUS:CANCELLED: the calendar
  takes the event away.

Nothing personal goes in: a title, a time and a place.
"""

from __future__ import annotations

import base64
import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Response
from icalendar import Calendar, Event, Timezone

LONDON_TZID = "Europe/London"
LONDON = zoneinfo.ZoneInfo(LONDON_TZID)
PUBLISH, CANCEL = "PUBLISH", "CANCEL"
EPOCH = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
PRODID = "-//PeerPath//Calendar//EN"


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    summary: str
    start: dt.datetime | dt.date  # a datetime (any zone; written in London time) or a day
    end: dt.datetime | dt.date  # for a day or a week: the day after the last
    location: str = ""
    description: str = ""
    busy: bool = True  # False for dates to know about (a closing date), not to block out


def uid(kind: str, key: object, trust_slug: str) -> str:
    """The event's UID: the same for the same thing at the same trust, in every file."""
    return f"{kind}-{key}@{trust_slug}.peerpath"


def _local(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(LONDON)
    return value


def _day(value: dt.datetime | dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def build(entries: Iterable[CalendarEntry], *, method: str = PUBLISH,
          name: str | None = None, now: dt.datetime | None = None) -> bytes:
    """An iCalendar file of `entries` (METHOD:CANCEL takes them out of calendars)."""
    entries = list(entries)
    now = now or dt.datetime.now(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    days = [_day(e.start) for e in entries] or [now.date()]
    cal.add_component(Timezone.from_tzid(
        LONDON_TZID, first_date=min(days) - dt.timedelta(days=366),
        last_date=max(days) + dt.timedelta(days=366)))
    sequence = max(int((now - EPOCH).total_seconds()), 0)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("summary", entry.summary)
        event.add("dtstart", _local(entry.start))
        event.add("dtend", _local(entry.end))
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        if not entry.busy:
            event.add("transp", "TRANSPARENT")
        if method == CANCEL:
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()


def attachment(body: bytes, filename: str) -> dict:
    """A calendar file as a message attachment (tenants.notifications.queue_message)."""
    return {"filename": filename, "content_type": "text/calendar",
            "content_b64": base64.b64encode(body).decode()}


def download(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
