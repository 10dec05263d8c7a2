"""CSV files that open cleanly in Excel, and cannot smuggle a formula into it.

Excel reads a CSV as the machine's legacy code page unless the file starts with a UTF-8 byte
order mark, so names such as "Zoë" or "Siân" arrive garbled without one. It recognises
"2027-06-03" and "2027-06-03 14:30:00" as dates; it does not recognise Python's isoformat()
of an aware datetime ("...T14:30:00.123456+00:00"), which stays text and cannot be sorted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

BYTE_ORDER_MARK = "\ufeff"
# Excel has no time zones: times are written as the clock on the wall in the UK.
UK_TIME = ZoneInfo("Europe/London")
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIMETYPE = "text/csv; charset=utf-8"


def cell(value: object) -> str:
    """The text of one cell: dates as ISO dates, times as UK wall-clock times, no formulas."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UK_TIME)
        text = value.strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A whole CSV file: byte order mark, one header row, then one line per row."""
    out = io.StringIO()
    out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out)  # "\r\n" line ends and minimal quoting, as Excel writes them
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()
