"""A coordinator who may make decisions gives an applicant longer to answer an interview
invitation or a place offer, from the application page or the API: a later working day, not
in the past, inside the cohort's calendar; bad dates get an error summary (or a 409/422),
the applicant is told the new date, the reason is a note for the team, never in the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications import deadlines
from tenants.applications.models import Application
from tenants.applications.service import transition
from tenants.audit.models import AuditEvent
from tenants.cohorts.calendar import add_working_days, is_working_day
from tenants.coordinators.models import Coordinator
from tenants.notifications.models import OutboxMessage
from tenants.workspace.models import ApplicationNote
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application, make_coordinator, signed_in_client

TODAY = deadlines.today()


def offered(app, trust, cohort_id: int) -> int:
    application_id = make_application(app, trust, cohort_id, stage="interviewed")
    with app.test_request_context(), tenant_context(trust, app):
        transition(db.session, db.session.get(Application, application_id), "place_offered",
                   actor="trust:x:1")
        db.session.commit()
    return application_id


def reply_by(app, trust, application_id: int) -> dt.date:
    with tenant_context(trust, app):
        return db.session.get(Application, application_id).reply_by


def date_boxes(day: dt.date, reason: str = "Caring for a relative this week") -> dict:
    return {"reply_by-day": str(day.day), "reply_by-month": str(day.month),
            "reply_by-year": str(day.year), "extension_reason": reason}


def next_weekend_day(after: dt.date) -> dt.date:
    day = after
    while day.weekday() < 5:
        day += dt.timedelta(days=1)
    return day


@pytest.fixture(scope="module")
def cohort(app, trust):
    return create_cohort(app, trust, name="Longer to reply", starts=60)


def test_a_coordinator_gives_longer_from_the_application_page_and_the_applicant_is_told(
        app, trust, cohort, lead):
    client, _ = lead
    person = offered(app, trust, cohort)
    first = reply_by(app, trust, person)
    applications = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications")
    page_url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{person}"
    assert f'href="{page_url}"' in applications.get_data(as_text=True)
    page = client.get(page_url)
    assert 'id="extend-reply-by"' in page.get_data(as_text=True)
    action = page_url + "/reply-by"
    later = add_working_days(first, 2)
    starts = TODAY + dt.timedelta(days=60)
    for boxes, words in (
            (date_boxes(first), "Choose a date after"),
            (date_boxes(TODAY - dt.timedelta(days=1)), "cannot be in the past"),
            (date_boxes(next_weekend_day(first)), "is not a working day"),
            (date_boxes(add_working_days(starts, 1)), "no later than"),
            ({**date_boxes(later), "reply_by-month": "13"}, "real date"),
            (date_boxes(later, reason=""), "Enter the reason")):
        refused = post_form(client, action, boxes, form_page=page_url)
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, boxes
        assert "There is a problem" in text_of(refused) and words in text_of(refused), words
        assert "<title>Error:" in body
        assert reply_by(app, trust, person) == first
    refused = post_form(client, action, date_boxes(first), form_page=page_url)
    assert 'href="#reply_by-day"' in refused.get_data(as_text=True)

    done = post_form(client, action, date_boxes(later), form_page=page_url)
    assert done.status_code == 302
    assert reply_by(app, trust, person) == later
    with tenant_context(trust, app):
        [told] = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == deadlines.EXTENDED,
            OutboxMessage.related_id == str(person))).all()
        assert deadlines.in_words(later) in told.body_text
        assert "Caring for a relative" not in told.body_text
        [note] = db.session.scalars(select(ApplicationNote.body).where(
            ApplicationNote.application_id == person)).all()
        assert "Caring for a relative this week" in note
        audit = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.reply_by_extended",
            AuditEvent.record_id == str(person))).one()
        assert audit.detail == {"from": first.isoformat(), "to": later.isoformat()}
    assert deadlines.in_words(later) in text_of(client.get(page_url))


def test_only_someone_who_may_make_decisions_sees_and_uses_the_form(app, trust, cohort):
    person = offered(app, trust, cohort)
    page_url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{person}"
    later = add_working_days(reply_by(app, trust, person), 1)
    read_only, _ = signed_in_client(app, trust, "read_only")
    assert 'id="extend-reply-by"' not in read_only.get(page_url).get_data(as_text=True)
    coordinator, coordinator_id = signed_in_client(app, trust, "coordinator")
    with tenant_context(trust, app):
        db.session.get(Coordinator, coordinator_id).grants = ["set_up_interviews"]
        db.session.commit()
    assert 'id="extend-reply-by"' not in coordinator.get(page_url).get_data(as_text=True)
    denied = post_form(coordinator, page_url + "/reply-by", date_boxes(later),
                       form_page=page_url)
    assert denied.status_code == 403
    assert reply_by(app, trust, person) != later


def test_an_interview_invitation_is_answered_by_the_end_of_interview_week(app, trust, cohort):
    person = make_application(app, trust, cohort, stage="shortlisted")
    with app.test_request_context(), tenant_context(trust, app):
        application = db.session.get(Application, person)
        transition(db.session, application, "interview_invited", actor="trust:x:1")
        latest, why = deadlines.latest_reply_by(db.session, application)
        assert "interview week" in why and is_working_day(latest)
        assert latest <= TODAY + dt.timedelta(days=20 + 10 + 4)  # create_cohort's week
        db.session.commit()


def test_the_api_gives_longer_and_refuses_bad_dates(app, trust, cohort):
    lead_id, _, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, lead_id, "tests", "write")
        db.session.commit()
    person = offered(app, trust, cohort)
    first = reply_by(app, trust, person)
    client = app.test_client()
    url = f"/api/v1/trusts/{trust.slug}/applications/{person}/reply-by"
    headers = {"Authorization": f"Bearer {token}"}
    later = add_working_days(first, 1)
    assert client.post(url, headers=headers, json={"reply_by": "next week",
                                                   "extension_reason": "x"}).status_code == 422
    assert client.post(url, headers=headers, json={"reply_by": later.isoformat()}
                       ).status_code == 422
    too_soon = client.post(url, headers=headers, json={"reply_by": first.isoformat(),
                                                       "extension_reason": "Asked by phone"})
    assert too_soon.status_code == 409
    assert "Choose a date after" in too_soon.json["error"]["fields"]["reply_by"]
    done = client.post(url, headers=headers, json={"reply_by": later.isoformat(),
                                                   "extension_reason": "Asked by phone"})
    assert done.status_code == 200, done.json
    assert done.json["reply_by"] == later.isoformat() and done.json["stage"] == "place_offered"
    assert reply_by(app, trust, person) == later
    missing = client.post(f"/api/v1/trusts/{trust.slug}/applications/{2**40}/reply-by",
                          headers=headers, json={"reply_by": later.isoformat(),
                                                 "extension_reason": "Asked by phone"})
    assert missing.status_code == 404
