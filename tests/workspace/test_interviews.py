"""Interview slots: bulk creation, self-booking, moving and cancelling, never double-booked
(also under concurrent bookings), .ics invitations, panels and the interview record."""

from __future__ import annotations

import base64
import datetime as dt

from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.cohorts.calendar import LONDON
from tenants.cohorts.models import Cohort
from tenants.interviews import service
from tenants.interviews.models import InterviewBooking, InterviewSlot
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link
from tests.workspace.concurrency import race
from tests.workspace.helpers import make_application, signed_in_client, stage_of

PLACE = "Room 2, Recovery College"


def make_slots(app, trust, cohort_id, count=3, panel_ids=()):
    with app.test_request_context(), tenant_context(trust, app):
        cohort = db.session.get(Cohort, cohort_id)
        slots = service.create_slots(
            db.session, cohort, days=[cohort.interview_week_of], start=dt.time(9),
            end=dt.time(9 + count), length_minutes=60, place=PLACE, panel_ids=list(panel_ids),
            actor="test")
        db.session.commit()
        return [s.id for s in slots]


def test_bulk_creation_makes_back_to_back_slots_on_each_chosen_day(app, trust, lead):
    client, coordinator_id = lead
    cohort = create_cohort(app, trust, name="Slots intake")
    with tenant_context(trust, app):
        week = db.session.get(Cohort, cohort).interview_week_of
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/interviews"
    bad = post_form(client, url, {"days": week.isoformat(), "start": "16:00", "end": "09:00",
                                  "length": "45", "place": PLACE})
    assert bad.status_code == 400 and "The end time must be after the start time" in \
        bad.get_data(as_text=True)
    post_form(client, url, {"days": [week.isoformat(), (week + dt.timedelta(days=1)).isoformat()],
                            "start": "09:30", "end": "12:30", "length": "45", "place": PLACE,
                            "panel": str(coordinator_id)})
    with tenant_context(trust, app):
        starts = db.session.scalars(select(InterviewSlot.starts_at).where(
            InterviewSlot.cohort_id == cohort).order_by(InterviewSlot.starts_at)).all()
    assert len(starts) == 8  # four 45-minute slots from 09:30 to 12:30, on two days
    assert starts[1] - starts[0] == dt.timedelta(minutes=45)


def test_a_day_outside_interview_week_is_a_warning_the_coordinator_confirms(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Late slots intake")
    with tenant_context(trust, app):
        late = db.session.get(Cohort, cohort).interview_week_of + dt.timedelta(days=40)
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/interviews"
    form = {"days": late.isoformat(), "start": "09:00", "end": "10:00", "length": "60",
            "place": PLACE}
    warned = post_form(client, url, form)
    body = warned.get_data(as_text=True)
    assert warned.status_code == 400 and "outside interview week" in body
    assert 'name="confirm_outside_week"' in body and f'value="{late.isoformat()}"' in body
    with tenant_context(trust, app):
        assert not db.session.scalars(select(InterviewSlot.id).where(
            InterviewSlot.cohort_id == cohort)).all()
    confirmed = post_form(client, url, {**form, "confirm_outside_week": "yes"})
    assert confirmed.status_code == 302
    with tenant_context(trust, app):
        [starts] = db.session.scalars(select(InterviewSlot.starts_at).where(
            InterviewSlot.cohort_id == cohort)).all()
    assert starts.astimezone(LONDON).date() == late


def test_an_invited_applicant_books_moves_and_cancels_and_gets_an_ics_invitation(app, trust):
    from tests.applications.helpers import sign_in_link

    cohort = create_cohort(app, trust, name="Booking intake")
    email = "booker@applicant.example"
    application = make_application(app, trust, cohort, stage="interview_invited", email=email)
    first, second, _ = make_slots(app, trust, cohort)
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    url = f"/trusts/{trust.slug}/account/interviews/{application}"
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    booked = post_form(client, url, {"slot_id": str(first), "adjustments": "A quiet room"})
    assert booked.status_code == 302
    assert stage_of(app, trust, application) == "interview_booked"
    with tenant_context(trust, app):
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == "interview_confirmation",
            OutboxMessage.related_id == str(application))).one()
        invite = base64.b64decode(message.attachments[0]["content_b64"]).decode()
        assert "BEGIN:VEVENT" in invite and PLACE.split(",")[0] in invite
        assert "quiet room" not in message.body_text  # adjustments are for the panel only
    post_form(client, url, {"slot_id": str(second), "adjustments": "A quiet room"})
    with tenant_context(trust, app):
        booking = service.booking_for(db.session, application)
        assert booking.slot_id == second and booking.adjustments == "A quiet room"
    assert client.get(url + "/interview.ics").mimetype == "text/calendar"
    post_form(client, url + "/cancel", {}, form_page=url)
    assert stage_of(app, trust, application) == "interview_invited"
    with tenant_context(trust, app):
        assert service.booking_for(db.session, application) is None


def test_a_slot_is_never_double_booked_when_many_book_it_at_once(app, trust):
    cohort = create_cohort(app, trust, name="Race intake")
    applications = [make_application(app, trust, cohort, stage="interview_invited")
                    for _ in range(8)]
    slots = make_slots(app, trust, cohort, count=5)
    for slot in slots:  # five runs, eight people racing for one slot each time
        def booker(application_id, slot_id=slot):
            def call(session):
                application = session.get(Application, application_id)
                if application.stage != "interview_invited":
                    return "already booked"
                return service.book(session, application, slot_id, actor="test").id
            return call
        results = race(app, trust, [booker(a) for a in applications])
        wins = [r for r in results if isinstance(r, int)]
        losses = [r for r in results if isinstance(r, service.SlotUnavailable)]
        assert len(wins) == 1, results
        assert all(isinstance(r, int | service.SlotUnavailable) or r == "already booked"
                   for r in results), results
        assert losses
    with tenant_context(trust, app):
        per_slot = db.session.execute(select(InterviewBooking.slot_id, func.count())
                                      .group_by(InterviewBooking.slot_id)).all()
        assert all(count == 1 for _, count in per_slot)
        assert db.session.scalar(select(func.count()).select_from(InterviewBooking).where(
            InterviewBooking.slot_id.in_(slots))) == 5


def test_panel_members_see_only_their_interviews_with_the_adjustments(app, trust, lead):
    lead_client, _ = lead
    panel_client, panel_id = signed_in_client(app, trust, "panel")
    cohort = create_cohort(app, trust, name="Panel intake")
    mine = make_application(app, trust, cohort, stage="interview_invited", name="Mo Mine")
    theirs = make_application(app, trust, cohort, stage="interview_invited", name="Tia Theirs")
    my_slot, = make_slots(app, trust, cohort, count=1, panel_ids=[panel_id])
    other_slot, = make_slots(app, trust, cohort, count=1)
    with app.test_request_context(), tenant_context(trust, app):
        service.book(db.session, db.session.get(Application, mine), my_slot, actor="test",
                     adjustments="Step-free access")
        service.book(db.session, db.session.get(Application, theirs), other_slot, actor="test")
        db.session.commit()
    listing = panel_client.get(f"/trusts/{trust.slug}/coordinator/interviews/")
    text = listing.get_data(as_text=True)
    assert "Mo Mine" in text and "Step-free access" in text and "Tia Theirs" not in text
    base = f"/trusts/{trust.slug}/coordinator/interviews/"
    assert panel_client.get(base + str(theirs)).status_code == 404
    page = panel_client.get(base + str(mine)).get_data(as_text=True)
    assert "Step-free access" in page and "@applicant.example" not in page
    incomplete = post_form(panel_client, base + str(mine), {"outcome": "recommend"})
    assert incomplete.status_code == 400 and "Score every criterion" in \
        incomplete.get_data(as_text=True)
    scores = {f"score-{key}": "3" for key, _ in service.DEFAULT_CRITERIA}
    saved = post_form(panel_client, base + str(mine), {**scores, "outcome": "recommend",
                                                        "notes": "Warm and reflective"})
    assert saved.status_code == 302
    assert stage_of(app, trust, mine) == "interviewed"
    with tenant_context(trust, app):
        record = service.interview_record(db.session, mine)
        assert record.outcome == "recommend" and record.scores["listening"] == 3
    assert lead_client.get(base + str(theirs)).status_code == 200
