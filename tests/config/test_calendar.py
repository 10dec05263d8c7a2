"""Cohort calendars: validation, the EOI window, bank holidays, the month view and .ics."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from peerpath.extensions import db
from tenants.cohorts import calendar, service
from tenants.cohorts.models import Cohort, Course, TrainingDay
from tests.config.conftest import post_form

D = dt.date


def cohort_data(course_id: int, **changes) -> dict:
    return {"course_id": course_id, "name": "Spring cohort", "capacity": 10,
            "eoi_opens_on": D(2027, 3, 1), "eoi_closes_on": D(2027, 3, 26),
            "shortlisting_week_of": D(2027, 3, 29), "interview_week_of": D(2027, 4, 12),
            "starts_on": D(2027, 5, 3), "posts_advertised": None, **changes}


@pytest.fixture
def course_id(in_trust):
    with in_trust():
        course = service.save_course(db.session, {
            "name": "Twelve weeks", "length_weeks": 12, "training_days": 3, "format": "mixed",
            "locations": ["Room 1"], "leads_to": None, "description": None})
        db.session.commit()
        return course.id


@pytest.mark.parametrize(("changes", "field"), [
    ({"eoi_closes_on": D(2027, 2, 1)}, "eoi_closes_on"),
    ({"interview_week_of": D(2027, 3, 22)}, "interview_week_of"),
    ({"starts_on": D(2027, 3, 20), "shortlisting_week_of": None, "interview_week_of": None},
     "starts_on"),
    ({"course_id": 10**9}, "course_id"),
])
def test_a_calendar_out_of_order_is_refused_naming_the_field(in_trust, course_id, changes,
                                                             field):
    with in_trust(), pytest.raises(service.CalendarProblems) as refused:
        service.save_cohort(db.session, {**cohort_data(course_id), **changes})
    assert field in refused.value.problems


def test_training_days_must_fall_inside_the_course_and_fit_its_number(in_trust, course_id):
    with in_trust():
        cohort = service.save_cohort(db.session, cohort_data(course_id))
        day = {"starts_at": dt.time(9, 30), "ends_at": dt.time(16), "place": "Room 1",
               "kind": "classroom"}
        with pytest.raises(service.CalendarProblems, match="must fall between"):
            service.add_training_day(db.session, cohort, {**day, "on_date": D(2027, 7, 26)})
        for on in (D(2027, 5, 3), D(2027, 5, 31), D(2027, 7, 25)):
            service.add_training_day(db.session, cohort, {**day, "on_date": on})
        with pytest.raises(service.CalendarProblems, match="already has a training day"):
            service.add_training_day(db.session, cohort, {**day, "on_date": D(2027, 5, 3)})
        with pytest.raises(service.CalendarProblems, match="has 3 training days"):
            service.add_training_day(db.session, cohort, {**day, "on_date": D(2027, 5, 4)})
        with pytest.raises(service.CalendarProblems) as moved:  # the last day would fall out
            service.save_cohort(db.session, cohort_data(course_id, starts_on=D(2027, 5, 10)),
                                cohort)
        assert "starts_on" in moved.value.problems
        db.session.rollback()


def test_capacity_cannot_drop_below_places_already_offered(in_trust, course_id):
    with in_trust():
        cohort = service.save_cohort(db.session, cohort_data(course_id))
        real_counter = service._places_offered_counter  # the app's, restored after
        service.set_places_offered_counter(lambda session, cohort_id: 7)
        try:
            with pytest.raises(service.CalendarProblems) as refused:
                service.save_cohort(db.session, cohort_data(course_id, capacity=6), cohort)
            assert "7 places have already been offered" in refused.value.problems["capacity"]
            assert service.save_cohort(db.session, cohort_data(course_id, capacity=7),
                                       cohort).capacity == 7
        finally:
            service.set_places_offered_counter(real_counter)
        assert service.places_offered(db.session, cohort.id) == 0
        db.session.rollback()


def test_the_eoi_window_decides_which_cohort_is_open(in_trust, course_id):
    cohort = Cohort(**cohort_data(course_id))
    assert service.eoi_window_state(cohort, D(2027, 2, 28)) == service.NOT_OPEN_YET
    assert service.eoi_window_state(cohort, D(2027, 3, 1)) == service.OPEN
    assert service.eoi_window_state(cohort, D(2027, 3, 26)) == service.OPEN
    assert service.eoi_window_state(cohort, D(2027, 3, 27)) == service.CLOSED
    with in_trust():
        saved = service.save_cohort(db.session, cohort_data(course_id, name="Window test",
                                                            eoi_opens_on=D(2031, 3, 1),
                                                            eoi_closes_on=D(2031, 3, 26),
                                                            shortlisting_week_of=None,
                                                            interview_week_of=None,
                                                            starts_on=D(2031, 5, 5)))
        assert service.open_cohort(db.session, D(2031, 3, 10)).id == saved.id
        assert service.open_cohort(db.session, D(2031, 3, 27)) is None
        assert service.next_cohort(db.session, D(2031, 2, 1)).id == saved.id
        db.session.rollback()


def _cohort_with_days() -> Cohort:
    course = Course(id=1, name="C", length_weeks=12, training_days=16, format="mixed")
    cohort = Cohort(id=5, course=course, **cohort_data(1, eoi_opens_on=D(2027, 8, 2),
                                                       eoi_closes_on=D(2027, 8, 30),
                                                       shortlisting_week_of=D(2027, 9, 6),
                                                       interview_week_of=D(2027, 9, 20),
                                                       starts_on=D(2027, 12, 20)))
    cohort.days = [TrainingDay(on_date=D(2027, 12, 27), starts_at=dt.time(9, 30),
                               ends_at=dt.time(16), place="Room 1", kind="classroom"),
                   TrainingDay(on_date=D(2027, 12, 29), starts_at=dt.time(9, 30),
                               ends_at=dt.time(16), place="Room 2", kind="placement")]
    return cohort


def test_deadlines_and_training_days_on_bank_holidays_are_flagged():
    assert calendar.bank_holiday(D(2027, 8, 30)) == "Summer bank holiday"
    assert calendar.bank_holiday(D(2027, 8, 31)) is None
    dates = {d.key + str(d.first): d for d in calendar.key_dates(_cohort_with_days())}
    assert "Summer bank holiday" in dates["eoi_closes2027-08-30"].bank_holidays[0]
    assert "Christmas Day" in dates["training_day2027-12-27"].bank_holidays[0]
    assert dates["training_day2027-12-29"].bank_holidays == ()


def test_the_public_page_mentions_a_bank_holiday_only_where_it_changes_a_date():
    week = calendar.KeyDate("interviews", "Interview week", D(2027, 8, 30), D(2027, 9, 3))
    assert week.public_first == D(2027, 8, 31)
    assert week.public_note == "Monday 30 August is a bank holiday"
    ordinary = calendar.KeyDate("interviews", "Interview week", D(2027, 9, 20), D(2027, 9, 24))
    assert ordinary.public_first == D(2027, 9, 20) and ordinary.public_note is None
    closing = calendar.KeyDate("eoi_closes", "Closing date", D(2027, 8, 30), D(2027, 8, 30))
    assert closing.public_first == D(2027, 8, 30)
    assert closing.public_note == "a bank holiday, Summer bank holiday"


def test_the_month_view_marks_each_key_day_in_words_as_well_as_colour():
    months = calendar.month_pictures(_cohort_with_days())
    assert [m.title for m in months][:2] == ["August 2027", "September 2027"]
    assert months[-1].title == "December 2027"
    december = {c["day"]: c for c in months[-1].svg_cells}
    assert "Training day" in december[27]["label"] and "Bank holiday" in december[27]["label"]
    assert december[27]["letters"] == "TB" and december[29]["letters"] == "T"
    assert "27 December: Training day, Bank holiday: Christmas Day" in months[-1].description


def test_the_ics_file_holds_every_key_date_with_times_and_places():
    cal = Calendar.from_ical(calendar.ics(_cohort_with_days(), "demo", "Demo NHS Trust"))
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 7 and len({str(e["uid"]) for e in cal.walk("VEVENT")}) == 7
    closes = events["Closing date for applications: Spring cohort"]
    assert closes.decoded("dtstart") == D(2027, 8, 30) and "bank holiday" in closes["description"]
    interviews = events["Interview week: Spring cohort"]
    assert interviews.decoded("dtend") == D(2027, 9, 25)
    day = events["Training day 1 (classroom): Spring cohort"]
    assert day.decoded("dtstart") == dt.datetime(2027, 12, 27, 9, 30, tzinfo=calendar.LONDON)
    assert str(day["location"]) == "Room 1"
    assert cal.walk("VTIMEZONE"), "a timezone definition travels with the times"


def test_the_cohort_page_shows_the_calendar_and_the_ics_downloads(lead, tenant, course_id,
                                                                  in_trust):
    with in_trust():
        cohort = service.save_cohort(db.session, cohort_data(course_id, name="Page cohort"))
        db.session.commit()
    base = f"/trusts/{tenant.slug}/coordinator/settings/cohorts/{cohort.id}"
    page = lead.get(base).get_data(as_text=True)
    assert "<svg" in page and 'role="img"' in page and "March 2027" in page
    response = post_form(lead, base + "/days", {"on_date-day": "3", "on_date-month": "5",
                                                "on_date-year": "2027", "starts_at": "09:30",
                                                "ends_at": "16:00", "place": "Room 9",
                                                "kind": "classroom"}, page=base)
    assert response.status_code == 302
    ics = lead.get(base + "/calendar.ics")
    assert ics.mimetype == "text/calendar" and b"Room 9" in ics.data


def test_the_cohort_form_shows_errors_and_keeps_what_was_typed(lead, tenant, course_id):
    url = f"/trusts/{tenant.slug}/coordinator/settings/cohorts/new"
    response = post_form(lead, url, {"course_id": str(course_id), "name": "Typed name",
                                     "capacity": "0", "eoi_opens_on-day": "31",
                                     "eoi_opens_on-month": "2", "eoi_opens_on-year": "2027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in page
    assert 'href="#eoi_opens_on-day"' in page and "must be a real date" in page
    assert "Places must be a whole number from 1 to 1000" in page
    assert 'value="Typed name"' in page and 'value="31"' in page


def test_a_read_only_coordinator_sees_cohorts_but_cannot_change_them(reader, tenant):
    base = f"/trusts/{tenant.slug}/coordinator/settings"
    assert reader.get(base + "/cohorts").status_code == 200
    assert reader.get(base + "/cohorts/new").status_code == 403
    assert reader.get(base + "/courses/new").status_code == 403


FORM_FIELDS = ("course_id", "name", "capacity", "eoi_opens_on-day", "eoi_opens_on-month",
               "eoi_opens_on-year", "eoi_closes_on", "starts_on", "shortlisting_week_of-year")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FORM_FIELDS),
                       st.one_of(st.text(max_size=12), st.integers(-10**12, 10**12).map(str)),
                       max_size=len(FORM_FIELDS)))
def test_no_cohort_form_input_causes_a_server_error(lead, tenant, data):
    url = f"/trusts/{tenant.slug}/coordinator/settings/cohorts/new"
    response = post_form(lead, url, data)
    assert response.status_code in (302, 400), response.status_code
