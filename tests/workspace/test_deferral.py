"""Deferral (issue 16): a place offered or accepted moves to the next cohort of the same
course, from the applicant's account (with a confirmation page) or by a coordinator (with a
reason). Its reminders for the old cohort are taken back, the freed place goes to the
waiting list, the place is reinstated with its history when a later cohort is set up, both
sides hear when that cohort's dates are set, and no cohort is overbooked. Each test has a
trust of its own: the next cohort is the next one of the trust's course."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.datewords import nhs_date
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application, ApplicationEvent
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort, Course
from tenants.training import deferral
from tenants.training import service as training
from tenants.training.models import Deferral
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.config.test_public_page import text_of
from tests.workspace.concurrency import race
from tests.workspace.conditions_support import (
    accepted_place,
    act,
    applicant_signs_in,
    follow,
    on_application,
    outbox,
)
from tests.workspace.helpers import make_application, make_coordinator, signed_in_client, stage_of

TODAY = dt.date.today()


def first_cohort(app, trust, name="Spring intake", capacity=4) -> int:
    cohort = create_cohort(app, trust, name=name, capacity=capacity, starts=60)
    act(app, trust, lambda s: cohorts.add_training_day(s, s.get(Cohort, cohort), {
        "on_date": TODAY + dt.timedelta(days=60), "starts_at": dt.time(10),
        "ends_at": dt.time(15), "place": "Training room", "kind": "classroom"}))
    return cohort


def set_up_next_cohort(app, trust, name="Autumn intake", capacity=4, starts=200) -> int:
    """A later cohort of the same course, saved the way the settings page saves one."""
    def save(session):
        course = session.scalars(select(Course).limit(1)).first()
        return cohorts.save_cohort(session, {
            "course_id": course.id, "name": name, "capacity": capacity,
            "eoi_opens_on": TODAY + dt.timedelta(days=starts - 90),
            "eoi_closes_on": TODAY + dt.timedelta(days=starts - 60),
            "shortlisting_week_of": None, "interview_week_of": None,
            "starts_on": TODAY + dt.timedelta(days=starts), "posts_advertised": None}).id
    return act(app, trust, save)


def email_of(app, trust, application_id) -> str:
    with tenant_context(trust, app):
        return db.session.get(Applicant, db.session.get(
            Application, application_id).applicant_id).email


def deferral_of(app, trust, application_id) -> Deferral:
    with tenant_context(trust, app):
        row = deferral.latest(db.session, application_id)
        db.session.expunge(row)
        return row


def cohort_of(app, trust, application_id) -> int:
    with tenant_context(trust, app):
        return db.session.get(Application, application_id).cohort_id


def test_an_applicant_defers_from_their_account_and_is_reinstated_when_a_cohort_is_created(
        app, make_trust):
    trust = make_trust()
    make_coordinator(app, trust, "lead")
    first = first_cohort(app, trust)
    application = accepted_place(app, trust, first)
    assert [m.status for m in outbox(app, trust, "training_day_reminder",
                                     related_id=str(application))] == ["created"]
    client = app.test_client()
    account = applicant_signs_in(app, trust, client, email_of(app, trust, application))
    confirm = follow(client, account, "Move your place to a later training group")
    assert "The dates of the next group are not set yet" in text_of(confirm)
    assert "Yes, move my place" in text_of(confirm)
    done = post_form(client, confirm.request.path, {"reason": "A family matter"})
    assert done.status_code == 302
    account = client.get(done.headers["Location"])
    assert "We are keeping your training place for the next training group" in \
        text_of(account)
    assert stage_of(app, trust, application) == "deferred"
    waiting = deferral_of(app, trust, application)
    assert (waiting.from_cohort_id, waiting.to_cohort_id, waiting.stage_held,
            waiting.by_applicant) == (first, None, "place_accepted", True)
    assert [m.status for m in outbox(app, trust, "training_day_reminder",
                                     related_id=str(application))] == ["withdrawn"]

    later = set_up_next_cohort(app, trust, starts=200)
    assert (stage_of(app, trust, application), cohort_of(app, trust, application)) == \
        ("place_accepted", later)
    assert deferral_of(app, trust, application).to_cohort_id == later
    with tenant_context(trust, app):
        moves = [(e.from_stage, e.to_stage) for e in db.session.scalars(
            select(ApplicationEvent).where(ApplicationEvent.application_id == application)
            .order_by(ApplicationEvent.id))]
    assert moves[0] == (None, "interest_registered")  # the whole history came along
    assert moves[-2:] == [("place_accepted", "deferred"), ("deferred", "place_accepted")]
    starts = nhs_date(TODAY + dt.timedelta(days=200))
    told = outbox(app, trust, deferral.REINSTATED, related_id=str(waiting.id))
    assert [m.status for m in told] == ["created"]
    assert f"starting {starts}" in told[0].body_text  # Easy Read: "the group starting"
    team = outbox(app, trust, deferral.WAITING, related_id=str(later))
    assert team and all("1 deferred places are waiting in Autumn intake" in m.body_text
                        for m in team)
    account = client.get(f"/trusts/{trust.slug}/account/")
    assert "You moved your place here from Spring intake" in text_of(account)

    # New training dates: both sides hear again, once (the earlier unsent ones are replaced).
    act(app, trust, lambda s: cohorts.add_training_day(s, s.get(Cohort, later), {
        "on_date": TODAY + dt.timedelta(days=201), "starts_at": dt.time(10),
        "ends_at": dt.time(15), "place": "Training room", "kind": "classroom"}))
    assert [m.status for m in outbox(app, trust, deferral.REINSTATED,
                                     related_id=str(waiting.id))] == ["withdrawn", "created"]
    assert [m.status for m in outbox(app, trust, deferral.WAITING, related_id=str(later))
            ].count("created") == len(team)
    assert [m.status for m in outbox(app, trust, "training_day_reminder",
                                     related_id=str(application))] == ["withdrawn", "created"]


def test_a_coordinator_defers_a_place_with_a_reason_into_the_next_cohort_at_once(
        app, make_trust):
    trust = make_trust()
    first = first_cohort(app, trust, capacity=1)
    later = create_cohort(app, trust, name="Later intake", opens=30, closes=60, starts=150)
    application = make_application(app, trust, first, stage="interviewed", name="Sam Defer")
    on_application(app, trust, application,
                   lambda s, a: training.offer_place(s, a, actor="coordinator:test"))
    reserve = make_application(app, trust, first, stage="waiting_list")
    client, _ = signed_in_client(app, trust, "coordinator")
    listing = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{first}/applications")
    page = follow(client, listing, "Sam Defer")
    assert "Defer the place to the next cohort" in text_of(page)
    action = f"/trusts/{trust.slug}/coordinator/cohorts/{first}/applications/" \
             f"{application}/defer"
    missing = post_form(client, action, {"defer_reason": ""}, form_page=page.request.path)
    assert missing.status_code == 400
    assert "Give the reason this place is deferred" in text_of(missing)
    assert stage_of(app, trust, application) == "place_offered"
    done = post_form(client, action, {"defer_reason": "Caring for a relative until spring"},
                     form_page=page.request.path)
    assert done.status_code == 302 and f"/cohorts/{later}/" in done.headers["Location"]
    assert (stage_of(app, trust, application), cohort_of(app, trust, application)) == \
        ("place_offered", later)
    moved = client.get(done.headers["Location"])
    assert "Deferred from Spring intake" in text_of(moved)
    assert "Caring for a relative until spring" in text_of(moved)
    assert "Reinstated in Later intake" in text_of(moved)
    # The place it left in the first cohort went to the waiting list.
    assert stage_of(app, trust, reserve) == "place_offered"
    assert deferral_of(app, trust, application).by_applicant is False


def test_deferred_places_never_overbook_the_cohort_they_are_reinstated_in(app, make_trust):
    trust = make_trust()
    first = first_cohort(app, trust, capacity=4)
    places = [accepted_place(app, trust, first) for _ in range(3)]
    for application in places:
        on_application(app, trust, application, lambda s, a: deferral.defer(
            s, a, actor="coordinator:test", reason="Asked to start later"))
    later = set_up_next_cohort(app, trust, capacity=2)
    assert [cohort_of(app, trust, a) for a in places] == [later, later, first]
    assert stage_of(app, trust, places[2]) == "deferred"
    with tenant_context(trust, app):
        assert training.places_offered(db.session, later) == 2
    # The one left waiting goes to the next cohort after that.
    after = set_up_next_cohort(app, trust, name="Winter intake", capacity=2, starts=300)
    assert cohort_of(app, trust, places[2]) == after


def test_two_deferrals_racing_for_the_last_place_take_it_once(app, make_trust):
    trust = make_trust()
    first = first_cohort(app, trust)
    later = create_cohort(app, trust, name="One place left", opens=30, closes=60, starts=150,
                          capacity=1)
    one, two = accepted_place(app, trust, first), accepted_place(app, trust, first)
    results = race(app, trust, [
        lambda s, a=a: deferral.defer(s, s.get(Application, a), actor="coordinator:test",
                                      reason="Later start").id
        for a in (one, two)])
    assert all(isinstance(r, int) for r in results), results
    assert sorted(cohort_of(app, trust, a) for a in (one, two)) == sorted([first, later])
    with tenant_context(trust, app):
        assert training.places_offered(db.session, later) == 1


def test_the_api_defers_a_place_and_lists_those_reinstated_in_a_cohort(app, make_trust):
    from tenants.api_tokens.service import issue

    trust = make_trust()
    coordinator_id, _, _ = make_coordinator(app, trust, "coordinator")
    with tenant_context(trust, app):
        token = issue(db.session, trust, coordinator_id, "api", "write")[1]
        db.session.commit()
    first = first_cohort(app, trust)
    later = create_cohort(app, trust, name="API later", opens=30, closes=60, starts=150)
    application = accepted_place(app, trust, first)
    client = app.test_client()

    def call(method, path, **kwargs):
        return client.open(f"/api/v1/trusts/{trust.slug}{path}", method=method,
                           headers={"Authorization": f"Bearer {token}"}, **kwargs)

    assert call("POST", f"/applications/{application}/deferral", json={}).status_code == 422
    made = call("POST", f"/applications/{application}/deferral",
                json={"reason": "Starting a college course"})
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["from_cohort_id"], made.get_json()["to_cohort_id"]) == \
        (first, later)
    listed = call("GET", f"/cohorts/{later}/deferrals").get_json()
    assert [row["application_id"] for row in listed] == [application]
    # Deferred again from the later cohort: no cohort after it yet, so it waits.
    again = call("POST", f"/applications/{application}/deferral", json={"reason": "Again"})
    assert again.status_code == 201 and again.get_json()["to_cohort_id"] is None
    assert stage_of(app, trust, application) == "deferred"
    refused = call("POST", f"/applications/{application}/deferral", json={"reason": "More"})
    assert refused.status_code == 409
    assert call("GET", f"/cohorts/{later}/deferrals").get_json() == []


def test_subject_access_shows_the_conditions_and_deferral_and_erasure_clears_their_words(
        app, make_trust):
    from tenants.conditions import service as conditions
    from tenants.retention import subject_access
    from tenants.retention.registry import ErasureRequest

    trust = make_trust()
    first = first_cohort(app, trust)
    application = accepted_place(app, trust, first)
    on_application(app, trust, application, lambda s, a: conditions.override(
        s, a, reason="Talked it through with their GP surgery", actor="lead"))
    on_application(app, trust, application, lambda s, a: deferral.defer(
        s, a, actor="coordinator:test", reason="Recovering from an operation"))
    with app.test_request_context(), tenant_context(trust, app):
        reference = db.session.get(Application, application).reference
        sections = subject_access.gather(db.session, reference)["sections"]
        assert [d["reason"] for d in sections["training"]["deferrals"]] == \
            ["Recovering from an operation"]
        assert len(sections["conditions"]["conditions"]) == 4
        assert sections["conditions"]["condition_overrides"][0]["reason"].startswith("Talked")
        subject_access.erase(db.session, ErasureRequest(reference, "Asked to be forgotten"),
                             actor="lead")
        assert deferral.latest(db.session, application).reason is None
        assert conditions.latest_override(db.session, application).reason == \
            "Erased at the person's request"
