"""Places up to capacity (also under concurrent offers), the waiting list, attendance,
completion, placement hours, outcomes and follow-ups."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.cohorts.service import places_offered
from tenants.notifications.models import OutboxMessage
from tenants.training import service
from tenants.training.models import FollowUp
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link
from tests.workspace.concurrency import race
from tests.workspace.conditions_support import trained_cohort
from tests.workspace.helpers import make_application, stage_of


def _offerer(application_id):
    def call(session):
        service.offer_place(session, session.get(Application, application_id), actor="test")
        return "offered"
    return call


def test_concurrent_offers_never_exceed_the_capacity(app, trust):
    for run in range(4):
        cohort = create_cohort(app, trust, name=f"Capacity run {run}", capacity=3)
        applications = [make_application(app, trust, cohort, stage="interviewed")
                        for _ in range(10)]
        results = race(app, trust, [_offerer(a) for a in applications])
        assert results.count("offered") == 3, results
        refusals = [r for r in results if isinstance(r, service.Refused)]
        assert len(refusals) == 7 and "has been offered" in refusals[0].message
        with tenant_context(trust, app):
            assert places_offered(db.session, cohort) == 3
            assert db.session.scalar(select(func.count()).select_from(Application).where(
                Application.cohort_id == cohort, Application.stage == "place_offered")) == 3


def test_a_declined_place_goes_to_the_longest_waiting_on_the_waiting_list(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Waiting intake", capacity=1)
    offered = make_application(app, trust, cohort, stage="interviewed")
    first_waiting = make_application(
        app, trust, cohort, stage="waiting_list",
        history=("eoi_submitted", "eligibility_checked", "shortlisted", "interview_invited",
                 "interview_booked", "interviewed", "waiting_list"))
    second_waiting = make_application(
        app, trust, cohort, stage="waiting_list",
        history=("eoi_submitted", "eligibility_checked", "shortlisted", "interview_invited",
                 "interview_booked", "interviewed", "waiting_list"))
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/places"
    assert post_form(client, url, {"application_id": offered, "action": "offer"}) \
        .status_code == 302
    full = post_form(client, url, {"application_id": first_waiting, "action": "offer"})
    assert full.status_code == 400 and "Every place" in full.get_data(as_text=True)
    post_form(client, url, {"application_id": offered, "action": "decline"})
    assert stage_of(app, trust, offered) == "withdrawn"
    assert stage_of(app, trust, first_waiting) == "place_offered"
    assert stage_of(app, trust, second_waiting) == "waiting_list"
    with tenant_context(trust, app):
        assert "place_offer" in db.session.scalars(select(OutboxMessage.template_key).where(
            OutboxMessage.related_id == str(first_waiting))).all()


def _training_cohort(app, trust, days=5):
    """Weekly training days that have all happened (the last one a week ago), so registers
    and completion are open (tests/workspace/test_calendar_gates covers the dates)."""
    return trained_cohort(app, trust, name="Training intake", capacity=4, days=days)


def test_completion_needs_the_minimum_attendance_then_follow_ups_are_scheduled(app, trust,
                                                                               lead):
    client, _ = lead
    cohort = _training_cohort(app, trust)
    trainee = make_application(app, trust, cohort, stage="place_accepted")
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}"
    post_form(client, base + "/training/start", {}, form_page=base + "/places")
    assert stage_of(app, trust, trainee) == "in_training"
    with tenant_context(trust, app):
        day_ids = db.session.scalars(select(TrainingDay.id).where(
            TrainingDay.cohort_id == cohort).order_by(TrainingDay.on_date)).all()
    for day_id in day_ids[:3]:
        response = post_form(client, f"{base}/training/days/{day_id}",
                             {f"status-{trainee}": "present"})
        assert response.status_code == 302
    post_form(client, f"{base}/training/days/{day_ids[3]}", {f"status-{trainee}": "absent"})
    too_few = post_form(client, base + "/places", {"application_id": trainee,
                                                   "action": "complete"})
    assert too_few.status_code == 400 and "Attendance is 60%" in too_few.get_data(as_text=True)
    post_form(client, base + "/training/rule", {"min_attendance_percent": "60"},
              form_page=base + "/places")
    done = post_form(client, base + "/places", {"application_id": trainee, "action": "complete"})
    assert done.status_code == 302
    assert stage_of(app, trust, trainee) == "completed"
    with tenant_context(trust, app):
        months = db.session.scalars(select(FollowUp.months).where(
            FollowUp.application_id == trainee).order_by(FollowUp.months)).all()
        assert months == [3, 6, 12]
        due = db.session.scalars(select(OutboxMessage.next_attempt_at).where(
            OutboxMessage.template_key == "follow_up",
            OutboxMessage.related_id == str(trainee))).all()
        assert len(due) == 3 and min(due).date() > dt.date.today() + dt.timedelta(days=80)


def test_an_outcome_is_recorded_after_completion_and_not_before(app, trust, lead):
    client, _ = lead
    cohort = _training_cohort(app, trust, days=1)
    trainee = make_application(app, trust, cohort, stage="in_training")
    completed = make_application(app, trust, cohort, stage="completed")
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/outcomes"
    page = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/places"
    early = post_form(client, url, {"application_id": trainee, "kind": "paid_psw_post"},
                      form_page=page)
    assert early.status_code == 400
    post_form(client, url, {"application_id": completed, "kind": "volunteering",
                            "detail": "Recovery College"}, form_page=page)
    assert stage_of(app, trust, completed) == "outcome_recorded"
    assert "Volunteering" in client.get(page).get_data(as_text=True)


def test_placement_hours_count_towards_completion_where_the_course_has_placements(app, trust,
                                                                                  lead):
    client, _ = lead
    cohort = _training_cohort(app, trust, days=1)
    trainee = make_application(app, trust, cohort, stage="in_training")
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}"
    page = base + "/places"
    post_form(client, base + "/training/rule", {"min_attendance_percent": "0",
                                                "min_placement_hours": "10"}, form_page=page)
    bad = post_form(client, base + "/training/hours", {"application_id": trainee,
                                                       "on_date": "2026-02-30", "hours": "4"},
                    form_page=page)
    assert bad.status_code == 400 and "2026-02-30" in bad.get_data(as_text=True)
    post_form(client, base + "/training/hours", {"application_id": trainee,
                                                 "on_date": "2026-03-02", "hours": "7.5"},
              form_page=page)
    with tenant_context(trust, app):
        course_format = db.session.get(Cohort, cohort).course.format
    short = post_form(client, page, {"application_id": trainee, "action": "complete"})
    if course_format == "classroom":
        assert short.status_code == 302
    else:
        assert "7.5 placement hours recorded" in short.get_data(as_text=True)


def test_the_applicant_accepts_or_declines_their_place_from_their_account(app, trust):
    from tests.applications.helpers import sign_in_link

    cohort = create_cohort(app, trust, name="Respond intake", capacity=1)
    email = "offered@applicant.example"
    offered = make_application(app, trust, cohort, stage="place_offered", email=email)
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    assert "Accept or decline your training place" in client.get(
        f"/trusts/{trust.slug}/account/").get_data(as_text=True)
    url = f"/trusts/{trust.slug}/account/places/{offered}"
    assert post_form(client, url, {}).status_code == 400
    assert post_form(client, url, {"answer": "accept"}).status_code == 302
    assert stage_of(app, trust, offered) == "place_accepted"
    assert client.get(url).status_code == 404  # nothing left to answer
