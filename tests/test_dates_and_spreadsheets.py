"""Dates and times the NHS way, and CSV files that open cleanly in Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io

from peerpath.datewords import nhs_date, nhs_date_time, nhs_time, time_range
from peerpath.spreadsheet import excel_csv


def test_times_are_written_the_nhs_way():
    assert nhs_time(dt.time(9)) == "9am"
    assert nhs_time(dt.time(14, 30)) == "2:30pm"
    assert nhs_time(dt.time(12)) == "midday" and nhs_time(dt.time(0)) == "midnight"
    assert nhs_time(dt.time(12, 15)) == "12:15pm" and nhs_time(dt.time(0, 5)) == "12:05am"
    assert nhs_time(dt.time(14, 30, 5), seconds=True) == "2:30:05pm"
    assert time_range(dt.time(9, 30), dt.time(15, 30)) == "9:30am to 3:30pm"
    assert nhs_time(None) == ""


def test_dates_are_written_in_full():
    assert nhs_date(dt.date(2027, 6, 3)) == "Thursday 3 June 2027"
    assert nhs_date(dt.date(2027, 6, 1), weekday=False) == "1 June 2027"
    assert nhs_date(None) == ""


def test_an_aware_datetime_is_shown_as_the_time_on_the_wall_in_the_uk():
    summer = dt.datetime(2027, 6, 3, 13, 30, tzinfo=dt.UTC)  # 2:30pm British Summer Time
    assert nhs_date_time(summer) == "Thursday 3 June 2027 at 2:30pm"
    late = dt.datetime(2027, 6, 3, 23, 30, tzinfo=dt.UTC)  # already the next day in the UK
    assert nhs_date(late) == "Friday 4 June 2027" and nhs_time(late) == "12:30am"


def test_the_filters_are_registered_for_templates(app):
    with app.app_context():
        template = app.jinja_env.from_string("{{ d | nhs_date }}, {{ t | nhs_time }}")
        assert template.render(d=dt.date(2027, 6, 1), t=dt.time(9)) == "Tuesday 1 June 2027, 9am"


def test_a_csv_for_excel_has_a_byte_order_mark_one_header_and_iso_dates():
    body = excel_csv(["Name", "Submitted", "Starts", "Flag"], [
        ["Zoë", dt.datetime(2027, 6, 3, 13, 30, 15, 123456, tzinfo=dt.UTC),
         dt.date(2027, 9, 1), True],
        ["=HYPERLINK(evil)", None, None, False]])
    assert body.startswith("\ufeffName,")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows == [["Name", "Submitted", "Starts", "Flag"],
                    ["Zoë", "2027-06-03 14:30:15", "2027-09-01", "Yes"],
                    ["'=HYPERLINK(evil)", "", "", "No"]]
    assert body.count("\r\n") == 3
