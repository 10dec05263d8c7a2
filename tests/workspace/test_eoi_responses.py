"""Respond to every EOI (issue 16): each EOI waiting for the team has a respond-by date in
working days from the day it arrived; the team's list, reached from the workspace, puts the
least time left first, in words; a decision or a recorded response takes an EOI off it; the
team is chased once, the working day before EOIs fall due; a lead sets the number of days
(and the reply window of invitations and offers) on a settings page and through the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications import deadlines, responses, timings
from tenants.applications.models import Application
from tenants.applications.service import transition
from tenants.audit.models import AuditEvent
from tenants.cohorts.calendar import LONDON, add_working_days
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, onboard_trust
from tests.config.test_public_page import text_of
from tests.workspace.concurrency import race
from tests.workspace.helpers import make_application, make_coordinator, signed_in_client

D = dt.date
TODAY = dt.datetime.now(LONDON).date()


@pytest.fixture
def fresh(app):
    """A trust of its own (the list and the counts are the whole trust's), with a cohort."""
    trust = onboard_trust(app, "eoi", "Responding NHS Trust")
    return trust, create_cohort(app, trust, name="Responding intake")


def received(app, trust, cohort_id: int, when: dt.datetime, *,
             stage: str = "eligibility_checked") -> int:
    application_id = make_application(app, trust, cohort_id, stage=stage)
    with tenant_context(trust, app):
        db.session.get(Application, application_id).submitted_at = when
        db.session.commit()
    return application_id


def on_day(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LONDON)


def reference_of(app, trust, application_id: int) -> str:
    with tenant_context(trust, app):
        return db.session.get(Application, application_id).reference


def link_named(page, text: str) -> str:
    found = re.search(rf'<a href="([^"]+)"[^>]*>{re.escape(text)}<', page.get_data(as_text=True))
    assert found, f"the page has a link {text!r}"
    return found.group(1)


def test_time_left_reads_in_words():
    words = [responses.days_left_in_words(days) for days in (3, 1, 0, -1, -2)]
    assert words == ["due in 3 days", "due tomorrow", "due today", "1 day overdue",
                     "2 days overdue"]


def test_the_respond_by_date_counts_working_days_from_the_london_day_it_arrived(app, fresh):
    trust, cohort_id = fresh
    # 23:30 UTC on Thursday 1 April 2027 is 00:30 on Good Friday in London: received on
    # Friday 2 April; Easter Monday does not count, so 10 working days end on 16 April.
    late = received(app, trust, cohort_id, dt.datetime(2027, 4, 1, 23, 30, tzinfo=dt.UTC))
    with tenant_context(trust, app):
        application = db.session.get(Application, late)
        assert responses.received_on(application) == D(2027, 4, 2)
        assert responses.respond_by(db.session, application) == D(2027, 4, 16)
        assert responses.due(db.session, application, on=D(2027, 4, 15)) == \
            (D(2027, 4, 16), "due tomorrow")


def test_the_list_is_reached_from_the_workspace_and_puts_the_least_time_left_first(
        app, fresh):
    trust, cohort_id = fresh
    client, _ = signed_in_client(app, trust, "coordinator")
    days = timings.DEFAULTS["eoi_response_working_days"]
    overdue = received(app, trust, cohort_id, on_day(add_working_days(TODAY, -days - 2)))
    newest = received(app, trust, cohort_id, on_day(TODAY), stage="eoi_submitted")
    soon = received(app, trust, cohort_id, on_day(add_working_days(TODAY, -days + 1)))
    answered = received(app, trust, cohort_id, on_day(add_working_days(TODAY, -days - 5)))
    with app.test_request_context(), tenant_context(trust, app):
        transition(db.session, db.session.get(Application, answered), "shortlisted",
                   actor="trust:x:1")
        db.session.commit()

    home = client.get(f"/trusts/{trust.slug}/coordinator/")
    assert "1 expression of interest is overdue" in text_of(home)
    page = client.get(link_named(home, "EOIs to respond to"))
    assert page.status_code == 200 and "EOIs to respond to" in text_of(page)
    body = text_of(page)
    order = [body.index(reference_of(app, trust, a)) for a in (overdue, soon, newest)]
    assert order == sorted(order), "overdue first, then the least time left"
    assert reference_of(app, trust, answered) not in body
    with tenant_context(trust, app):
        rows = responses.awaiting(db.session)
    assert [row.application_id for row in rows] == [overdue, soon, newest]
    assert rows[0].in_words.endswith("days overdue") and not rows[1].overdue
    assert rows[0].in_words.capitalize() in body and rows[1].in_words.capitalize() in body
    assert f"{rows[1].respond_by:%A} {rows[1].respond_by.day} {rows[1].respond_by:%B %Y}" in body
    opened = client.get(re.search(rf'href="([^"]+/applications/{overdue})"',
                                  page.get_data(as_text=True)).group(1))
    assert opened.status_code == 200 and "Respond to the EOI by" in text_of(opened)


def test_a_decision_by_a_person_answers_an_eoi_and_the_systems_own_check_does_not(
        app, fresh):
    trust, cohort_id = fresh
    waiting = received(app, trust, cohort_id, on_day(TODAY), stage="eoi_submitted")
    decided = received(app, trust, cohort_id, on_day(TODAY), stage="eoi_submitted")
    with app.test_request_context(), tenant_context(trust, app):
        transition(db.session, db.session.get(Application, waiting), "eligibility_checked",
                   actor="system", reason="Meets every eligibility rule")
        transition(db.session, db.session.get(Application, decided), "not_eligible",
                   actor="trust:x:2", reason="Lives outside the trust's area")
        db.session.commit()
        assert [row.application_id for row in responses.awaiting(db.session)] == [waiting]
        answered = db.session.get(Application, decided)
        assert answered.responded_by == "trust:x:2" and answered.responded_at is not None


def test_a_response_made_another_way_is_recorded_on_the_application_page(app, fresh):
    trust, cohort_id = fresh
    client, _ = signed_in_client(app, trust, "coordinator")
    waiting = received(app, trust, cohort_id, on_day(TODAY))
    page_url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications/{waiting}"
    page = client.get(page_url)
    assert 'id="record-response"' in page.get_data(as_text=True)
    action = f"{page_url}/responded"
    refused = post_form(client, action, {"how": "carrier pigeon"}, form_page=page_url)
    assert refused.status_code == 400 and "There is a problem" in text_of(refused)
    assert "Choose how you responded" in text_of(refused)
    assert post_form(client, action, {"how": "phone"}, form_page=page_url).status_code == 302
    with tenant_context(trust, app):
        assert responses.awaiting(db.session) == []
        audit = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.eoi_responded",
            AuditEvent.record_id == str(waiting))).one()
        assert audit.detail == {"how": "phone"}
    again = client.get(page_url).get_data(as_text=True)
    assert 'id="record-response"' not in again and "Respond to the EOI by" not in again
    read_only, _ = signed_in_client(app, trust, "read_only")
    assert 'id="record-response"' not in read_only.get(page_url).get_data(as_text=True)


def chasers(app, trust) -> list[OutboxMessage]:
    with tenant_context(trust, app):
        rows = list(db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == responses.CHASER).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def test_the_team_is_chased_once_on_the_working_day_before_eois_fall_due(app, fresh):
    trust, cohort_id = fresh
    staff = {make_coordinator(app, trust, role)[1]: role
             for role in ("lead", "coordinator", "read_only", "panel")}
    # Received on Monday 4 January 2027: 10 working days later is Monday 18 January.
    first = received(app, trust, cohort_id, on_day(D(2027, 1, 4)))
    second = received(app, trust, cohort_id, on_day(D(2027, 1, 4), 15))
    answered = received(app, trust, cohort_id, on_day(D(2027, 1, 4)))
    with tenant_context(trust, app):
        responses.record_response(db.session, db.session.get(Application, answered), "email",
                                  actor="trust:x:1")
        db.session.commit()

    def chase(day):
        with app.test_request_context(), tenant_context(trust, app):
            chased = responses.chase(db.session, on=day)
            db.session.commit()
            return chased

    assert chase(D(2027, 1, 14)) == 0 and chasers(app, trust) == []
    results = race(app, trust, [lambda s: responses.chase(s, on=D(2027, 1, 15))] * 2)
    assert sorted(results) == [0, 2], results
    sent = chasers(app, trust)
    assert sorted(m.recipient_email for m in sent) == sorted(
        email for email, role in staff.items() if role in ("lead", "coordinator"))
    body = sent[0].body_text
    assert "2 expressions of interest" in body and "Monday 18 January 2027" in body
    assert "/coordinator/eoi-responses/" in body
    for application_id in (first, second):
        assert reference_of(app, trust, application_id) not in body
    assert chase(D(2027, 1, 15)) == 0 and chase(D(2027, 1, 16)) == 0
    assert chase(D(2027, 1, 18)) == 0, "overdue EOIs are on the list, not chased again"
    assert len(chasers(app, trust)) == 2


def test_a_lead_sets_the_response_times_on_a_page_reached_from_the_settings(app, fresh):
    trust, cohort_id = fresh
    lead, _ = signed_in_client(app, trust, "lead")
    home = lead.get(f"/trusts/{trust.slug}/coordinator/")
    settings = lead.get(link_named(home, "Settings"))
    form_url = link_named(settings, "Response times and reply-by dates")
    form = lead.get(form_url)
    assert 'value="10"' in form.get_data(as_text=True) and 'value="5"' in \
        form.get_data(as_text=True)
    for bad in ({"eoi_response_working_days": "0", "reply_working_days": "5"},
                {"eoi_response_working_days": "ten", "reply_working_days": "5"},
                {"eoi_response_working_days": "10", "reply_working_days": "21"}):
        refused = post_form(lead, form_url, bad)
        assert refused.status_code == 400, bad
        assert "There is a problem" in text_of(refused) and "Error:" in text_of(refused)
        assert all(f'value="{value}"' in refused.get_data(as_text=True)
                   for value in bad.values()), "what was typed is kept"
    done = post_form(lead, form_url, {"eoi_response_working_days": "3",
                                      "reply_working_days": "8"})
    assert done.status_code == 302 and "Response times saved" in text_of(
        lead.get(done.headers["Location"]))
    interviewed = make_application(app, trust, cohort_id, stage="interviewed")
    waiting = received(app, trust, cohort_id, on_day(D(2027, 1, 4)))
    with app.test_request_context(), tenant_context(trust, app):
        assert (timings.eoi_response_days(db.session), timings.reply_days(db.session)) == (3, 8)
        audit = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "deadlines.settings_changed")).one()
        assert audit.detail == {"eoi_response_working_days": {"from": 10, "to": 3},
                                "reply_working_days": {"from": 5, "to": 8}}
        offered = db.session.get(Application, interviewed)
        transition(db.session, offered, "place_offered", actor="trust:x:1")
        assert offered.reply_by == add_working_days(deadlines.today(), 8)
        assert responses.respond_by(db.session, db.session.get(Application, waiting)) == \
            D(2027, 1, 7)
        db.session.rollback()

    coordinator, _ = signed_in_client(app, trust, "coordinator")
    read = coordinator.get(form_url)
    assert read.status_code == 200 and "3 working days" in text_of(read)
    assert 'name="eoi_response_working_days"' not in read.get_data(as_text=True)
    denied = post_form(coordinator, form_url, {"eoi_response_working_days": "9",
                                               "reply_working_days": "5"},
                       form_page=f"/trusts/{trust.slug}/coordinator/")
    assert denied.status_code == 403
    with tenant_context(trust, app):
        assert timings.eoi_response_days(db.session) == 3


def test_the_response_times_are_read_and_changed_through_the_api(app, fresh):
    trust, _ = fresh
    lead_id, _, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, lead_id, "tests", "write")
        db.session.commit()
    client = app.test_client()
    url = f"/api/v1/trusts/{trust.slug}/settings/deadlines"
    headers = {"Authorization": f"Bearer {token}"}
    got = client.get(url, headers=headers)
    assert got.status_code == 200
    assert got.json["eoi_response_working_days"] == 10 and got.json["reply_working_days"] == 5
    match = {**headers, "If-Match": got.headers["ETag"]}
    assert client.put(url, headers=match, json={"eoi_response_working_days": 31,
                                                "reply_working_days": 5}).status_code == 422
    assert client.put(url, headers=match, json={"eoi_response_working_days": "7",
                                                "reply_working_days": 5}).status_code == 422
    assert client.put(url, headers=headers, json={"eoi_response_working_days": 7,
                                                  "reply_working_days": 5}).status_code == 428
    changed = client.put(url, headers=match, json={"eoi_response_working_days": 7,
                                                   "reply_working_days": 4})
    assert changed.status_code == 200, changed.json
    assert (changed.json["eoi_response_working_days"], changed.json["reply_working_days"]) \
        == (7, 4)
    with tenant_context(trust, app):
        assert timings.eoi_response_days(db.session) == 7


def test_the_overdue_count_agrees_with_the_list_on_every_day_around_a_bank_holiday(
        app, fresh):
    """`overdue_count` counts in the database; `awaiting` works each date out in Python.
    Over Easter 2027 and the weekends around it, with EOIs arriving late at night in
    London, both say the same every day."""
    trust, cohort_id = fresh
    for day in (D(2027, 3, 10) + dt.timedelta(days=n) for n in range(0, 40, 3)):
        received(app, trust, cohort_id, on_day(day, hour=23))
        received(app, trust, cohort_id, dt.datetime.combine(day, dt.time(0, 5), LONDON),
                 stage="eoi_submitted")
    with tenant_context(trust, app):
        counts = []
        for day in (D(2027, 3, 15) + dt.timedelta(days=n) for n in range(45)):
            listed = sum(row.overdue for row in responses.awaiting(db.session, on=day))
            assert responses.overdue_count(db.session, on=day) == listed, day
            assert responses.overdue_count(db.session, on=day, cohort_id=cohort_id) == listed
            counts.append(listed)
    # On 28 April the twelve days up to Monday 12 April (due 26 April) are overdue, two EOIs
    # each; Thursday 15 April's are due on the 29th.
    assert timings.DEFAULTS["eoi_response_working_days"] == 10
    assert counts[0] == 0 and counts[-1] == 24 and counts == sorted(counts)
