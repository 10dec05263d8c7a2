"""How each message in tests/test_message_promises.py comes about: the product's own path
(the public forms, the one stage transition, the interview and follow-up services, the team
invitation, the templates page), for one fresh person each time."""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Callable

from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications import messages as applicant_messages
from tenants.applications import service as applications
from tenants.applications.models import Applicant, Application
from tenants.cohorts.models import TrainingDay
from tenants.coordinators import team
from tenants.infosessions.models import Booking
from tenants.interviews import service as interviews
from tenants.interviews.models import InterviewSlot
from tenants.training import service as training
from tenants.training.models import FollowUp
from tests.accounts.helpers import post_form
from tests.applications.helpers import (
    answer_all,
    create_cohort,
    open_link,
    start_application,
    submit,
)
from tests.config.test_public_page import text_of
from tests.noemail.helpers import book_drop_in, new_drop_in
from tests.promises_deferral import reinstated_message, waiting_message
from tests.promises_support import Sent, World, applicant_at, link_from, move, newest

PLACE = "Room 2, Recovery College"
NOW = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)


def cancel_drop_in_place(world, sent):
    """The booking page the message links to leads to the cancel page; press its button."""
    client = world.app.test_client()
    booked = client.get(open_link(client, sent.links()[0]))
    assert booked.status_code == 200 and "Your place is booked" in text_of(booked)
    cancel_link = link_from(booked, "/cancel")
    page = client.get(cancel_link)
    assert "Cancel my place" in text_of(page)
    return post_form(client, cancel_link, {})


def _dropin_booked(world, easy_read) -> Sent:
    session_id = new_drop_in(world.app, world.trust)
    email = f"dropin-{session_id}@applicant.example"
    book_drop_in(world.app.test_client(), world.trust, session_id, name="Dee Dropin",
                 email=email)
    with tenant_context(world.trust, world.app):
        booking_id = db.session.scalars(select(Booking.id).where(
            Booking.info_session_id == session_id)).one()
    return Sent(None, email, extra={"booking_id": booking_id, "session_id": session_id})


def _dropin_message(template):
    def sent(world, easy_read) -> Sent:
        booked = _dropin_booked(world, easy_read)
        if template == "dropin_booking_cancelled":
            confirmation = Sent(newest(world, "dropin_booking_confirmation",
                                       related_id=booked.extra["booking_id"]))
            assert cancel_drop_in_place(world, confirmation).status_code == 200
        booked.row = newest(world, template, related_id=booked.extra["booking_id"])
        return booked
    return sent


def _stage_message(template, before, target, reason=None):
    def sent(world, easy_read) -> Sent:
        application_id, email = applicant_at(world, before, easy_read)
        if target == "interview_invited":
            _free_slots(world)
        move(world, application_id, target, reason)
        return Sent(newest(world, template, related_id=application_id), email, application_id)
    return sent


def _free_slots(world, how_many: int = 2) -> list[int]:
    """Interview times nobody else in this module takes (two days ahead, or more)."""
    with tenant_context(world.trust, world.app):
        latest = db.session.scalar(select(func.max(InterviewSlot.starts_at)))
        start = max(latest or NOW, NOW) + dt.timedelta(hours=1)
        slots = [InterviewSlot(cohort_id=world.cohort_id, place=PLACE,
                               starts_at=start + dt.timedelta(hours=n),
                               ends_at=start + dt.timedelta(hours=n, minutes=45))
                 for n in range(how_many)]
        db.session.add_all(slots)
        db.session.commit()
        return [slot.id for slot in slots]


def _interview_message(template):
    def sent(world, easy_read) -> Sent:
        application_id, email = applicant_at(world, "interview_invited", easy_read)
        slot_id, _ = _free_slots(world)
        with world.inside():
            application = db.session.get(Application, application_id)
            interviews.book(db.session, application, slot_id, actor="coordinator:test")
            if template == "interview_cancelled":
                interviews.cancel(db.session, application, actor="coordinator:test")
            db.session.commit()
        return Sent(newest(world, template, related_id=application_id), email, application_id)
    return sent


def _acknowledgement(world, easy_read) -> Sent:
    """Applied for through the public form, as anyone would."""
    client = world.app.test_client()
    email = f"applied-{secrets.token_hex(4)}@applicant.example"
    start_application(client, world.trust, world.cohort_id, name="Ash Applied", email=email)
    answer_all(client, world.trust)
    post_form(client, f"{world.base}/apply/step/communication-needs",
              {"easy_read": "yes" if easy_read else "no", "preferred_channel": "email",
               "texts_ok": "no"})
    assert submit(client, world.trust).status_code == 302
    with tenant_context(world.trust, world.app):
        application_id = db.session.scalars(select(Application.id).join(
            Applicant, Applicant.id == Application.applicant_id).where(
            Applicant.email == email)).one()
    return Sent(newest(world, "eoi_acknowledgement", related_id=application_id), email,
                application_id)


def _sign_in_link(world, easy_read) -> Sent:
    application_id, email = applicant_at(world, "eligibility_checked", easy_read)
    with world.inside():
        applicant = db.session.scalars(select(Applicant).where(Applicant.email == email)).one()
        assert applicant_messages.send_link(db.session, applicant, actor="applicant:test")
        db.session.commit()
        applicant_id = applicant.id
    return Sent(newest(world, "magic_sign_in_link", related_type="applicant",
                       related_id=applicant_id), email, application_id)


def _training_day(world, easy_read) -> Sent:
    cohort_id = create_cohort(world.app, world.trust, name="Training-day intake")
    with tenant_context(world.trust, world.app):
        db.session.add(TrainingDay(cohort_id=cohort_id, on_date=dt.date.today()
                                   + dt.timedelta(days=70), starts_at=dt.time(9, 30),
                                   ends_at=dt.time(16), place="Recovery College"))
        db.session.commit()
    world_for_cohort = dataclasses.replace(world, cohort_id=cohort_id)
    application_id, email = applicant_at(world_for_cohort, "place_offered", easy_read)
    move(world, application_id, "place_accepted")
    return Sent(newest(world, "training_day_reminder", related_id=application_id), email,
                application_id)


def _follow_up(template):
    def sent(world, easy_read) -> Sent:
        application_id, email = applicant_at(world, "completed", easy_read)
        with world.inside():
            application = db.session.get(Application, application_id)
            training.schedule_follow_ups(db.session, application,
                                         dt.date.today() - dt.timedelta(days=93),
                                         actor="test")
            db.session.commit()
            follow_up_ids = db.session.scalars(select(FollowUp.id).where(
                FollowUp.application_id == application_id)).all()
        if template == "follow_up":
            row = newest(world, template, related_id=application_id)
        else:
            row = newest(world, template, related_type="follow_up",
                         related_id=follow_up_ids[0])
        return Sent(row, email, application_id, extra={"follow_ups": follow_up_ids})
    return sent


def _invitation(world, easy_read) -> Sent:
    email = f"invited-{dt.datetime.now().timestamp()}@trust.example"
    with world.inside():
        team.invite(db.session, email=email, display_name="New Coordinator", role="coordinator",
                    invited_by=None)
        db.session.commit()
    return Sent(newest(world, "coordinator_invitation", recipient_email=email), email)


def _test_message(world, easy_read) -> Sent:
    done = post_form(world.lead, f"{world.base}/coordinator/settings/templates/test-message", {},
                     form_page=f"{world.base}/coordinator/settings/templates")
    assert done.status_code == 302
    return Sent(newest(world, "test_message", recipient_email=world.lead_email),
                world.lead_email)


def _withdrawn(world, easy_read) -> Sent:
    application_id, email = applicant_at(world, "eligibility_checked", easy_read)
    with world.inside():
        application = db.session.get(Application, application_id)
        applications.withdraw(db.session, application, reason="Asked by phone")
        db.session.commit()
    return Sent(newest(world, "application_update", related_id=application_id), email,
                application_id)


def _lapsed(world, easy_read) -> Sent:
    """A place offered and never answered: the day after its reply-by date it lapses."""
    from tenants.applications import deadlines

    offered = _stage_message("place_offer", "interviewed", "place_offered")(world, easy_read)
    with tenant_context(world.trust, world.app):
        application = db.session.get(Application, offered.application_id)
        assert deadlines.lapse(db.session, application,
                               on=application.reply_by + dt.timedelta(days=1))
        db.session.commit()
    return Sent(newest(world, "reply_by_lapsed", related_id=offered.application_id),
                offered.email, offered.application_id)


def _extended(world, easy_read) -> Sent:
    """A place offered, then a coordinator gives the applicant one more working day."""
    from tenants.applications import deadlines
    from tenants.cohorts.calendar import add_working_days

    offered = _stage_message("place_offer", "interviewed", "place_offered")(world, easy_read)
    with world.inside():
        application = db.session.get(Application, offered.application_id)
        deadlines.extend(db.session, application, add_working_days(application.reply_by, 1),
                         actor="coordinator:test")
        db.session.commit()
    return Sent(newest(world, "reply_by_extended", related_id=offered.application_id),
                offered.email, offered.application_id)


def _eoi_chaser(world, easy_read) -> Sent:
    """An EOI nobody has answered, whose respond-by date is the working day after the
    chaser's run (a day of its own, so each call makes its own chaser)."""
    from tenants.applications import responses, timings
    from tenants.applications.models import EoiChaser
    from tenants.cohorts.calendar import LONDON, add_working_days

    application_id, _ = applicant_at(world, "eoi_submitted", easy_read)
    with world.inside():
        earlier = db.session.scalar(select(func.count()).select_from(EoiChaser))
        run_on = add_working_days(dt.date.today(), 200 + 3 * earlier)
        received = add_working_days(add_working_days(run_on, 1),
                                    -timings.eoi_response_days(db.session))
        application = db.session.get(Application, application_id)
        application.submitted_at = dt.datetime.combine(received, dt.time(11), LONDON)
        assert responses.chase(db.session, on=run_on) >= 1
        db.session.commit()
    return Sent(newest(world, responses.CHASER, recipient_email=world.lead_email),
                world.lead_email, application_id)


SENDS: dict[str, Callable[[World, bool], Sent]] = {
    "dropin_booking_confirmation": _dropin_message("dropin_booking_confirmation"),
    "dropin_reminder": _dropin_message("dropin_reminder"),
    "dropin_booking_cancelled": _dropin_message("dropin_booking_cancelled"),
    "coordinator_invitation": _invitation,
    "test_message": _test_message,
    "eoi_acknowledgement": _acknowledgement,
    "magic_sign_in_link": _sign_in_link,
    "interview_invitation": _stage_message("interview_invitation", "shortlisted",
                                           "interview_invited"),
    "interview_confirmation": _interview_message("interview_confirmation"),
    "interview_cancelled": _interview_message("interview_cancelled"),
    "interview_reminder": _interview_message("interview_reminder"),
    "outcome_not_eligible": _stage_message("outcome_not_eligible", "eoi_submitted",
                                           "not_eligible", "Does not meet the rules"),
    "outcome_not_shortlisted": _stage_message("outcome_not_shortlisted", "eligibility_checked",
                                              "not_shortlisted", "More applicants than places"),
    "outcome_not_successful": _stage_message("outcome_not_successful", "interviewed",
                                             "not_successful", "Panel decision"),
    "place_offer": _stage_message("place_offer", "interviewed", "place_offered"),
    "training_day_reminder": _training_day,
    "follow_up": _follow_up("follow_up"),
    "follow_up_reminder": _follow_up("follow_up_reminder"),
    "application_update": _withdrawn,
    "reply_by_reminder": _stage_message("reply_by_reminder", "interviewed", "place_offered"),
    "reply_by_lapsed": _lapsed,
    "deferred_place_reinstated": reinstated_message,
    "deferred_places_waiting": waiting_message,
    "reply_by_extended": _extended,
    "eoi_response_chaser": _eoi_chaser,
}


