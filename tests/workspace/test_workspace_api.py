"""The workspace JSON API: notes, interview slots and bookings, the interview record, place
offers, attendance and outcomes; bad bodies get 400 or 422, refusals 409."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.interviews.service import DEFAULT_CRITERIA
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, make_coordinator, stage_of


@pytest.fixture(scope="module")
def api(app, trust):
    coordinator_id, _, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, write = issue(db.session, trust, coordinator_id, "tests", "write")
        _, read = issue(db.session, trust, coordinator_id, "tests", "read")
        db.session.commit()
    client = app.test_client()

    def call(method, path, token=write, if_match=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"}
        if if_match is not None:
            headers["If-Match"] = if_match
        return client.open(f"/api/v1/trusts/{trust.slug}{path}", method=method,
                           headers=headers, **kwargs)

    call.read = read
    return call


def test_notes_are_added_and_listed_and_bad_bodies_are_refused(app, trust, api, cohort_id):
    application = make_application(app, trust, cohort_id)
    path = f"/applications/{application}/notes"
    assert api("POST", path, data="{not json", content_type="application/json") \
        .status_code == 400
    assert api("POST", path, json={"body": ""}).status_code == 422
    assert api("POST", path, json={"body": "Prefers calls"}, token=api.read).status_code == 403
    assert api("POST", path, json={"body": "Prefers calls"}).status_code == 201
    assert [n["body"] for n in api("GET", path).get_json()["items"]] == ["Prefers calls"]


def test_slots_are_made_booked_recorded_and_a_taken_slot_is_a_409(app, trust, api):
    cohort = create_cohort(app, trust, name="API interviews")
    with tenant_context(trust, app):
        week = db.session.get(Cohort, cohort).interview_week_of
    made = api("POST", f"/cohorts/{cohort}/interview-slots", json={
        "days": [week.isoformat()], "start": "10:00", "end": "11:00", "length": 30,
        "place": "Room 1"})
    assert made.status_code == 201
    first, second = [s["id"] for s in made.get_json()["items"]]
    one = make_application(app, trust, cohort, stage="interview_invited")
    two = make_application(app, trust, cohort, stage="interview_invited")
    assert api("PUT", f"/applications/{one}/interview-booking", json={"slot_id": first},
               if_match="*").status_code == 200
    taken = api("PUT", f"/applications/{two}/interview-booking", json={"slot_id": first},
                if_match="*")
    assert taken.status_code == 409 and "just booked" in taken.get_json()["error"]["message"]
    listing = api("GET", f"/cohorts/{cohort}/interview-slots").get_json()["items"]
    assert [s["application_id"] for s in listing] == [one, None]
    assert api("DELETE", f"/applications/{one}/interview-booking").status_code == 204
    assert stage_of(app, trust, one) == "interview_invited"
    assert api("PUT", f"/applications/{two}/interview-booking", json={"slot_id": second},
               if_match="*").status_code == 200
    partial = api("PUT", f"/applications/{two}/interview-record", if_match="*",
                  json={"scores": {"listening": 3}, "outcome": "recommend"})
    assert partial.status_code == 409 and "scores" in partial.get_json()["error"]["fields"]
    scores = {key: 4 for key, _ in DEFAULT_CRITERIA}
    assert api("PUT", f"/applications/{two}/interview-record", if_match="*",
               json={"scores": scores, "outcome": "recommend"}).status_code == 200
    assert stage_of(app, trust, two) == "interviewed"
    assert api("POST", f"/applications/{two}/place-offer").status_code == 201
    assert api("POST", f"/applications/{one}/place-offer").status_code == 409


def test_attendance_and_outcomes_through_the_api(app, trust, api):
    cohort = create_cohort(app, trust, name="API training")
    trainee = make_application(app, trust, cohort, stage="in_training")
    finished = make_application(app, trust, cohort, stage="completed")
    with tenant_context(trust, app):
        later = TrainingDay(cohort_id=cohort, on_date=db.session.get(Cohort, cohort).starts_on,
                            starts_at=dt.time(10), ends_at=dt.time(15), place="Room")
        # Registers are kept for days that have happened (tenants.cohorts.gates).
        day = TrainingDay(cohort_id=cohort, on_date=dt.date.today() - dt.timedelta(days=1),
                          starts_at=dt.time(10), ends_at=dt.time(15), place="Room")
        db.session.add_all([later, day])
        db.session.commit()
        day_id, later_id = day.id, later.id
    later_etag = api("GET", f"/training-days/{later_id}/attendance").headers["ETag"]
    early = api("PUT", f"/training-days/{later_id}/attendance", if_match=later_etag,
                json={"statuses": {str(trainee): "present"}})
    assert early.status_code == 409 and "not happened yet" in early.get_data(as_text=True)
    etag = api("GET", f"/training-days/{day_id}/attendance").headers["ETag"]
    bad = api("PUT", f"/training-days/{day_id}/attendance", if_match=etag,
              json={"statuses": {str(trainee): "asleep"}})
    assert bad.status_code == 422
    marked = api("PUT", f"/training-days/{day_id}/attendance", if_match=etag,
                 json={"statuses": {str(trainee): "present"}})
    assert marked.get_json()["statuses"] == {str(trainee): "present"}
    assert api("PUT", f"/applications/{trainee}/outcome", json={"kind": "paid_psw_post"},
               if_match="*").status_code == 409
    done = api("PUT", f"/applications/{finished}/outcome", if_match="*",
               json={"kind": "partner_organisation", "detail": "Local Mind"})
    assert done.status_code == 200 and done.get_json()["stage"] == "outcome_recorded"
