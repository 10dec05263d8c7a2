"""An applicant on a phone, in a real Chromium, from the list of trusts to the follow-up after
training; axe-core checks every page visited (serious and critical problems: none).

The journey moves only as a person would: it opens `/` once, then presses links and buttons
it can see by their text and fills fields found by their labels. The only other address it
opens is a link read from an e-mail (the outbox row the e-mail is sent from). What a
coordinator does in between (shortlisting, inviting to interview, the interview itself,
offering a place, the training) is done through the services, not the browser: the
coordinators' own journeys test those pages.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.applications.service import transition
from tenants.cohorts.models import Cohort
from tenants.conditions import service as conditions
from tenants.infosessions import service as infosessions
from tenants.infosessions.models import Booking
from tenants.interviews import service as interviews
from tenants.notifications.models import OutboxMessage
from tenants.training import service as training
from tenants.training.models import Outcome
from tests.applications.helpers import create_cohort, onboard_trust
from tests.browser.conftest import check_accessibility, find_trust, press

pytestmark = pytest.mark.browser
COORDINATOR = "coordinator:test"  # the actor of the steps a coordinator takes off-screen
TRUST_NAME = "Journey Browser NHS Trust"
EASY_READ_TRUST_NAME = "Second Journey NHS Trust"


def link_in_latest_email(app, tenant, template_key: str, to: str) -> str:
    """The link the newest e-mail of this kind to `to` carries (as the dev mailbox shows)."""
    with tenant_context(tenant, app):
        body = db.session.scalars(select(OutboxMessage.body_text).where(
            OutboxMessage.template_key == template_key, OutboxMessage.channel == "email",
            OutboxMessage.recipient_email == to).order_by(OutboxMessage.id.desc())).first()
    assert body, f"no {template_key} e-mail to {to}"
    return re.search(r"https?://\S+", body).group(0).rstrip(".,)")


def coordinator_step(app, tenant, reference: str, step) -> None:
    """Run `step(session, application)` as a coordinator would from the workspace."""
    with app.test_request_context(), tenant_context(tenant, app):
        application = db.session.scalars(select(Application).where(
            Application.reference == reference)).one()
        step(db.session, application)
        db.session.commit()


def invite_to_interview_with_a_slot(session, application):
    transition(session, application, "shortlisted", actor=COORDINATOR)
    transition(session, application, "interview_invited", actor=COORDINATOR)
    cohort = session.get(Cohort, application.cohort_id)
    interviews.create_slots(session, cohort, days=[cohort.interview_week_of],
                            start=dt.time(10), end=dt.time(11), length_minutes=60,
                            place="Room 4, Peer House", panel_ids=[], actor=COORDINATOR)


def interview_and_offer(session, application):
    transition(session, application, "interviewed", actor=COORDINATOR)
    training.offer_place(session, application, actor=COORDINATOR)


def train_and_complete_three_months_ago(session, application):
    training.set_completion_rule(session, application.cohort_id, min_attendance_percent=0,
                                 min_placement_hours=0, actor=COORDINATOR)
    # The calendar has moved on: training (one day) ended three months ago, and follow-ups
    # are counted from the last training day, so the 3-month follow-up is due today.
    cohort = session.get(Cohort, application.cohort_id)
    today = dt.date.today()
    cohort.eoi_opens_on, cohort.eoi_closes_on = today - dt.timedelta(days=200), \
        today - dt.timedelta(days=150)
    cohort.starts_on = today - dt.timedelta(days=93)
    cohort.days = []
    session.flush()
    for condition in conditions.of_place(session, application.id):  # DBS check and the rest
        conditions.record_status(session, condition, "met", actor=COORDINATOR)
    training.start_training(session, application.cohort_id, actor=COORDINATOR)
    training.complete(session, application, actor=COORDINATOR)


def _trust_with_a_drop_in(app, name: str):
    tenant = onboard_trust(app, "journey", name, contact_email="team@journey.example")
    create_cohort(app, tenant, name="Phone intake")
    with tenant_context(tenant, app):
        infosessions.save_session(db.session, {
            "title": "Drop-in: find out about the training",
            "on_date": dt.date.today() + dt.timedelta(days=8), "starts_at": dt.time(10),
            "ends_at": dt.time(12), "place": "Peer House, Room 1", "capacity": None,
            "access_notes": "Step-free entrance"})
        db.session.commit()
    return tenant


@pytest.fixture(scope="module")
def journey_trust(app):
    return _trust_with_a_drop_in(app, TRUST_NAME)


@pytest.fixture(scope="module")
def easy_read_trust(app):
    """A trust of its own: the first journey moves its trust's calendar past training."""
    return _trust_with_a_drop_in(app, EASY_READ_TRUST_NAME)


def fill_in_the_application(page, problems: list[str], *, name: str, email: str) -> None:
    """From the start page to "Check your answers", one question per page."""
    press(page, "link", "Start your application for Phone intake")
    check_accessibility(page, problems)  # the privacy notice, shown before the form
    press(page, "button", "Continue")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    check_accessibility(page, problems)
    press(page, "button", "Continue")

    press(page, "button", "Save and continue")  # nothing chosen
    assert page.title().startswith("Error: ")
    assert page.get_by_text("There is a problem").is_visible()
    check_accessibility(page, problems)
    for _ in range(3):  # the three starting questions: answer Yes
        page.get_by_label("Yes", exact=True).check()
        check_accessibility(page, problems)
        press(page, "button", "Save and continue")
    page.get_by_label("Yes", exact=True).check()  # Disability Confident
    check_accessibility(page, problems)
    press(page, "button", "Save and continue")
    page.get_by_label("Easy Read").check()
    check_accessibility(page, problems)
    press(page, "button", "Save and continue")
    check_accessibility(page, problems)  # equality monitoring, all optional
    press(page, "button", "Save and continue")
    page.get_by_label("From a poster or leaflet").check()  # where they heard, optional
    check_accessibility(page, problems)
    press(page, "button", "Save and continue")


def test_an_applicant_goes_from_the_list_of_trusts_to_the_follow_up_on_a_phone(
        app, live_server, phone_page, journey_trust):
    page, problems = phone_page, []
    email = "sam@applicant.example"
    page.goto(f"{live_server}/")
    check_accessibility(page, problems)

    find_trust(page, TRUST_NAME)  # the trust's card on the list of trusts
    assert page.get_by_role("button", name="Apply now").is_visible()
    check_accessibility(page, problems)

    press(page, "link", "Check if you can apply")
    check_accessibility(page, problems)
    yes = page.get_by_label("Yes", exact=True)
    for index in range(yes.count()):
        yes.nth(index).check()
    press(page, "button", "Check")
    assert page.get_by_role("heading", name="You can apply").is_visible()
    check_accessibility(page, problems)

    press(page, "link", f"{TRUST_NAME} PeerPath homepage")  # the trust in the header
    press(page, "link", "Book a place")
    check_accessibility(page, problems)
    page.get_by_label("Your name").fill("Sam Example")
    page.get_by_label("Email address").fill(email)
    press(page, "button", "Book a place")
    assert page.get_by_text("Your place is booked").first.is_visible()
    check_accessibility(page, problems)
    with tenant_context(journey_trust, app):
        assert db.session.scalar(select(Booking.id).where(Booking.email == email))

    press(page, "link", f"Back to {TRUST_NAME}")
    press(page, "button", "Apply now")
    check_accessibility(page, problems)
    fill_in_the_application(page, problems, name="Sam Example", email=email)
    assert "Check your answers" in page.title()
    assert page.get_by_text("From a poster or leaflet").is_visible()
    check_accessibility(page, problems)
    press(page, "button", "Send application")
    assert page.get_by_text("Application sent").first.is_visible()
    reference = page.locator(".nhsuk-panel strong").inner_text()
    assert reference.startswith("PSW-")
    check_accessibility(page, problems)

    # The acknowledgement e-mail links to the sign-in page; signing in e-mails a sign-in link.
    page.goto(link_in_latest_email(app, journey_trust, "eoi_acknowledgement", email))
    check_accessibility(page, problems)
    page.get_by_label("Email address").fill(email)
    press(page, "button", "Send me a link")
    check_accessibility(page, problems)
    page.goto(link_in_latest_email(app, journey_trust, "magic_sign_in_link", email))
    check_accessibility(page, problems)
    press(page, "button", "Sign in")
    assert page.get_by_role("heading", name="Your applications").is_visible()
    assert reference in page.content()
    check_accessibility(page, problems)

    coordinator_step(app, journey_trust, reference, invite_to_interview_with_a_slot)
    press(page, "link", "Your applications")
    press(page, "link", "Choose a time for your interview")
    check_accessibility(page, problems)
    page.get_by_label("Room 4, Peer House").check()
    press(page, "button", "Book this time")
    assert _stage(app, journey_trust, reference) == "interview_booked"
    check_accessibility(page, problems)

    coordinator_step(app, journey_trust, reference, interview_and_offer)
    press(page, "link", "Your applications")
    press(page, "link", "Accept or decline your training place")
    check_accessibility(page, problems)
    page.get_by_label("Yes, I accept the place").check()
    press(page, "button", "Send my answer")
    assert _stage(app, journey_trust, reference) == "place_accepted"
    check_accessibility(page, problems)

    coordinator_step(app, journey_trust, reference, train_and_complete_three_months_ago)
    press(page, "link", "Your applications")
    press(page, "link", "Tell us how things are going since your training")
    assert page.get_by_text("It is 3 months since you finished your training").is_visible()
    check_accessibility(page, problems)
    press(page, "button", "Send my answers")  # nothing chosen
    assert page.title().startswith("Error: ")
    check_accessibility(page, problems)
    page.get_by_label("Volunteering, for example with the Recovery College").check()
    page.get_by_label("How many hours a week? (optional)").fill("8")
    page.get_by_label("Yes", exact=True).check()
    press(page, "button", "Send my answers")
    assert page.get_by_text("Thank you for telling us how things are going").is_visible()
    check_accessibility(page, problems)

    press(page, "link", "Accessibility statement")
    check_accessibility(page, problems)
    press(page, "link", "Help in a crisis")
    assert "116 123" in page.content()
    check_accessibility(page, problems)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "no sideways scrolling on a phone"
    with tenant_context(journey_trust, app):
        outcome = db.session.scalars(select(Outcome).join(
            Application, Application.id == Outcome.application_id).where(
            Application.reference == reference)).one()
        assert (outcome.kind, float(outcome.hours_per_week), outcome.wants_support) == \
            ("volunteering", 8.0, True)
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)


def test_an_applicant_reads_the_easy_read_confirmation_and_finds_crisis_help(
        app, live_server, phone_page, easy_read_trust):
    page, problems = phone_page, []
    page.goto(f"{live_server}/")
    find_trust(page, EASY_READ_TRUST_NAME)
    press(page, "button", "Apply now")
    fill_in_the_application(page, problems, name="Jo Example", email="jo@applicant.example")
    press(page, "button", "Send application")
    reference = page.locator(".nhsuk-panel strong").inner_text()
    press(page, "link", "Read this page in Easy Read")
    assert reference in page.content()
    check_accessibility(page, problems)
    press(page, "link", "Help in a crisis")
    assert "116 123" in page.content()
    check_accessibility(page, problems)
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)


def _stage(app, tenant, reference: str) -> str:
    with tenant_context(tenant, app):
        return db.session.scalar(select(Application.stage).where(
            Application.reference == reference))
