"""Every message keeps its promise (issue 14). PROMISES lists, for every template in
tenants.notifications.defaults.MESSAGES, what its text promises (the words, in the standard
and the Easy Read wording) and how the product keeps it. Each check makes the product send the
message for a real applicant in a real onboarded trust, reads the outbox row it wrote, and
follows the link it carries with the test client (signing in through an e-mailed link where
the page needs it) to the promised control or content.

A new template fails test_every_template_has_its_promises_listed until it is added here (and
to SENDS); rewording a listed promise fails test_the_words_are_in_the_message until the table
follows. A promise added to existing wording is not detected: list it here when you write it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.coordinators import team
from tenants.infosessions.models import Booking
from tenants.notifications.defaults import MESSAGES
from tenants.training.models import Outcome
from tests.accounts.helpers import post_form
from tests.applications.helpers import (
    create_cohort,
    onboard_trust,
    open_link,
)
from tests.config.test_public_page import text_of
from tests.noemail.helpers import new_drop_in
from tests.promises_deferral import account_shows_the_new_dates, places_page_lists_them
from tests.promises_sends import SENDS, cancel_drop_in_place
from tests.promises_support import (
    Sent,
    World,
    account_page,
    calendar_method,
    count,
    link_from,
)
from tests.workspace.helpers import make_coordinator, sign_in, stage_of

CONTACT_EMAIL = "peer-support@promises.example"
CONTACT_PHONE = "0116 000 0000"


@pytest.fixture(scope="module")
def world(app):
    trust = onboard_trust(app, "pr", "Promise NHS Trust", contact_email=CONTACT_EMAIL,
                          contact_phone=CONTACT_PHONE)
    cohort_id = create_cohort(app, trust, name="Promise intake", capacity=50)
    client = app.test_client()
    _, email, secret = make_coordinator(app, trust, "lead")
    sign_in(client, trust, email, secret)
    return World(app, trust, cohort_id, client, email)


# --- How each promise is kept: follow the message's own link to the promised thing ---------

def contact_details(world, sent):
    assert CONTACT_EMAIL in sent.row.body_text and CONTACT_PHONE in sent.row.body_text


def manage_link_cancels(world, sent):
    done = cancel_drop_in_place(world, sent)
    assert "Your place is cancelled" in text_of(done)
    with tenant_context(world.trust, world.app):
        assert db.session.get(Booking, sent.extra["booking_id"]).cancelled_at is not None
    assert count(world, "dropin_booking_cancelled", related_id=sent.extra["booking_id"]) == 1


def calendar_adds(world, sent):
    assert calendar_method(sent.row) in ("REQUEST", "PUBLISH")


def calendar_takes_out(world, sent):
    assert calendar_method(sent.row) == "CANCEL"


def another_drop_in_bookable(world, sent):
    """The trust's page leads to a booking form for a drop-in still ahead."""
    client = world.app.test_client()
    new_drop_in(world.app, world.trust, days_ahead=12)
    trust_page = client.get(f"{world.base}/")
    form = client.get(link_from(trust_page, r"/drop-ins/\d+/book"))
    assert form.status_code == 200 and "Book a place" in text_of(form)
    assert 'name="email"' in form.get_data(as_text=True)


def invitation_sets_password(world, sent):
    client = world.app.test_client()
    form_page = open_link(client, sent.links()[0])
    page = client.get(form_page)
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)
    password = "a long enough passphrase 4 promises"
    done = post_form(client, form_page, {"password": password, "password_again": password})
    assert done.status_code == 302, text_of(done)[:800]
    with tenant_context(world.trust, world.app):
        assert team.find_by_email(db.session, sent.email).password_hash is not None


def reaches_the_sender(world, sent):
    assert (sent.row.recipient_email, sent.row.channel) == (world.lead_email, "email")


def account_shows_the_application(world, sent):
    from tenants.applications.pipeline import PLAIN_WORDS

    _, page = account_page(world, sent)
    with tenant_context(world.trust, world.app):
        application = db.session.get(Application, sent.application_id)
        reference, stage = application.reference, application.stage
    assert reference in text_of(page) and PLAIN_WORDS[stage] in text_of(page)


def link_signs_in(world, sent):
    client = world.app.test_client()
    button_page = open_link(client, sent.links()[0])
    page = client.get(button_page)
    assert page.status_code == 200 and "Sign in" in text_of(page)
    done = post_form(client, button_page, {})
    assert done.status_code == 302
    assert "Your applications" in text_of(client.get(f"{world.base}/account/"))


def _interview_page(world, sent):
    from tests.promises_support import sign_in_through

    client = world.app.test_client()
    link = next(path for path in sent.links() if "/account/interviews/" in path)
    page = sign_in_through(world, client, link, sent.email)
    assert page.status_code == 200 and page.request.path == link, page.request.path
    return client, link, page


def booking_link_lists_times(world, sent):
    client, link, page = _interview_page(world, sent)
    assert "Choose a time" in text_of(page) and 'name="slot_id"' in page.get_data(as_text=True)
    slot = page.get_data(as_text=True).split('name="slot_id" type="radio" value="')[1]
    booked = post_form(client, link, {"slot_id": slot.split('"')[0]})
    assert booked.status_code == 302
    assert stage_of(world.app, world.trust, sent.application_id) == "interview_booked"


def adjustments_on_the_same_page(world, sent):
    _, _, page = _interview_page(world, sent)
    assert "Anything we can do to make the interview easier for you" in text_of(page)


def interview_can_be_changed_or_cancelled(world, sent):
    client, link, page = _interview_page(world, sent)
    assert "Cancel this interview" in text_of(page) and "Move my interview" in text_of(page)
    post_form(client, link + "/cancel", {}, form_page=link)
    assert stage_of(world.app, world.trust, sent.application_id) == "interview_invited"
    assert count(world, "interview_cancelled", related_id=sent.application_id) == 1


def interview_details_shown(world, sent):
    _, _, page = _interview_page(world, sent)
    assert "Your interview:" in text_of(page) and "Recovery College" in text_of(page)


def another_time_can_be_chosen(world, sent):
    _, _, page = _interview_page(world, sent)
    assert "Book this time" in text_of(page) and 'name="slot_id"' in page.get_data(as_text=True)


def offer_can_be_answered(world, sent):
    client, account = account_page(world, sent)
    respond = client.get(link_from(account, "/account/places/"))
    assert "Yes, I accept the place" in text_of(respond)
    assert "No, I do not want the place" in text_of(respond)
    done = post_form(client, respond.request.path, {"answer": "accept"})
    assert done.status_code == 302
    assert stage_of(world.app, world.trust, sent.application_id) == "place_accepted"


def follow_up_reaches_the_outcome_history(world, sent):
    client, account = account_page(world, sent)
    form = client.get(link_from(account, "/account/follow-up/"))
    assert "It takes a couple of minutes" in text_of(form)
    done = post_form(client, form.request.path, {
        "doing_now": "volunteering", "detail": "Recovery College", "hours_per_week": "6",
        "wants_support": "no"})
    assert done.status_code == 302, text_of(done)[:800]
    with tenant_context(world.trust, world.app):
        kinds = db.session.scalars(select(Outcome.kind).where(
            Outcome.application_id == sent.application_id)).all()
    assert kinds == ["volunteering"]


def only_one_reminder(world, sent):
    for follow_up_id in sent.extra["follow_ups"]:
        assert count(world, "follow_up_reminder", related_type="follow_up",
                     related_id=follow_up_id) == 1


def support_page(world, sent):
    link = next(path for path in sent.links() if "/account/" not in path)
    page = world.app.test_client().get(link)
    assert page.status_code == 200 and "Help in a crisis" in text_of(page)
    assert "Samaritans" in text_of(page) or "111" in text_of(page)


def task_list_shows_the_eoi(world, sent):
    """The chaser's link is the team's list, where the waiting EOI is, with its time left."""
    page = world.lead.get(sent.links()[0])
    assert page.status_code == 200 and "EOIs to respond to" in text_of(page)
    with tenant_context(world.trust, world.app):
        reference = db.session.get(Application, sent.application_id).reference
    assert reference in text_of(page) and "Due in" in text_of(page)


def names_no_one(world, sent):
    from tenants.applications.models import Applicant

    with tenant_context(world.trust, world.app):
        application = db.session.get(Application, sent.application_id)
        name = db.session.get(Applicant, application.applicant_id).name
        reference = application.reference
    assert name not in sent.row.body_text and reference not in sent.row.body_text
    assert (sent.row.recipient_email, sent.row.channel) == (world.lead_email, "email")


SAME = "same words in Easy Read"


@dataclasses.dataclass(frozen=True)
class Promise:
    words: str                      # in the standard text
    check: Callable[[World, Sent], None]
    easy: str | None = SAME         # in the Easy Read text (None: not promised there)

    def words_in(self, variant: str) -> str | None:
        if variant == "standard":
            return self.words
        return self.words if self.easy == SAME else self.easy


CONTACT = Promise("Questions?", contact_details)
SIGNED_IN = Promise("Sign in to see your application", account_shows_the_application)
SUPPORT = Promise("here is where to find support", support_page)
CANNOT_COME = Promise("If you cannot come", manage_link_cancels, easy="Cannot come?")
FOLLOW_UP = Promise("couple of minutes", follow_up_reaches_the_outcome_history)

PROMISES: dict[str, list[Promise]] = {
    "dropin_booking_confirmation": [
        CANNOT_COME, CONTACT,
        Promise("We have attached a calendar file", calendar_adds, easy=None)],
    "dropin_reminder": [CANNOT_COME, CONTACT],
    "dropin_booking_cancelled": [
        Promise("attached calendar file takes it out", calendar_takes_out, easy=None),
        Promise("book another session", another_drop_in_bookable,
                easy="You can book another one"),
        CONTACT],
    "coordinator_invitation": [Promise("Set your password and sign in here",
                                       invitation_sets_password)],
    "test_message": [Promise("messages are reaching you", reaches_the_sender), CONTACT],
    "eoi_acknowledgement": [
        Promise("You can see where your application is", account_shows_the_application,
                easy="See how it is going"), CONTACT],
    "magic_sign_in_link": [Promise("Use this link to sign in", link_signs_in,
                                   easy="Press this link to sign in")],
    "interview_invitation": [
        Promise("choose a time that suits you by", booking_link_lists_times,
                easy="Please pick a time by"),
        Promise("you can tell us on the same page", adjustments_on_the_same_page,
                easy="You can tell us if you need help"), CONTACT],
    "interview_confirmation": [
        Promise("We have attached a calendar file", calendar_adds),
        Promise("You can change or cancel it here", interview_can_be_changed_or_cancelled),
        CONTACT],
    "interview_cancelled": [
        Promise("attached calendar file takes it out", calendar_takes_out),
        Promise("You can choose another time here", another_time_can_be_chosen), CONTACT],
    "interview_reminder": [Promise("Details and changes", interview_details_shown), CONTACT],
    "outcome_not_eligible": [
        Promise("You can see your application when you sign in",
                account_shows_the_application),
        Promise("know more about why, email or call us", contact_details), SUPPORT, CONTACT],
    "outcome_not_shortlisted": [SIGNED_IN, SUPPORT, CONTACT],
    "outcome_not_successful": [
        SIGNED_IN,
        Promise("feedback on your interview, email or call us", contact_details), SUPPORT,
        CONTACT],
    "place_offer": [
        Promise("Please sign in and accept or decline", offer_can_be_answered,
                easy="Please tell us yes or no"), CONTACT],
    "training_day_reminder": [
        Promise("If you cannot come, please email or call us", contact_details),
        Promise("You can see your application here", account_shows_the_application),
        CONTACT],
    "follow_up": [FOLLOW_UP, CONTACT],
    "follow_up_reminder": [
        FOLLOW_UP, Promise("This is the only reminder we will send", only_one_reminder),
        CONTACT],
    "application_update": [Promise("Sign in to read it", account_shows_the_application),
                           CONTACT],
    "reply_by_reminder": [
        Promise("Please let us know by", offer_can_be_answered, easy="Please reply by"),
        Promise("If you need more time, just get in touch", contact_details,
                easy="Need more time? Tell us."), CONTACT],
    "reply_by_lapsed": [
        Promise("or to talk to us about it", account_shows_the_application,
                easy="Use this link to talk to us"), CONTACT],
    "deferred_place_reinstated": [
        Promise("Sign in to see your application and the training dates",
                account_shows_the_new_dates, easy="See your dates here"), CONTACT],
    "deferred_places_waiting": [Promise("See them on the places page", places_page_lists_them)],
    "reply_by_extended": [
        Promise("You can reply when you sign in", offer_can_be_answered,
                easy="Please reply by"), CONTACT],
    "eoi_response_chaser": [
        Promise("See them, with the days left for each", task_list_shows_the_eoi),
        Promise("This email names no one", names_no_one)],
}

# Messages to people the product never sends Easy Read to (a drop-in booking records no
# reading needs; coordinators get the standard text): their Easy Read promises are checked in
# the words only.
STANDARD_ONLY = {"dropin_booking_confirmation", "dropin_reminder", "dropin_booking_cancelled",
                 "coordinator_invitation", "test_message", "deferred_places_waiting",
                 "eoi_response_chaser"}
VARIANTS = ("standard", "easy_read")


def _cases():
    for template, promises in PROMISES.items():
        for variant in VARIANTS:
            if variant == "easy_read" and template in STANDARD_ONLY:
                continue
            for promise in promises:
                if promise.words_in(variant):
                    yield pytest.param(template, variant, promise,
                                       id=f"{template}-{variant}-{promise.check.__name__}")


def test_every_template_has_its_promises_listed():
    assert set(PROMISES) == set(MESSAGES) == set(SENDS)
    assert all(PROMISES.values()), "every message promises something to check"


@pytest.mark.parametrize("template", sorted(MESSAGES))
def test_the_words_are_in_the_message(world, template):
    """The listed words are the trust's wording (so a reworded promise must be re-listed)."""
    from tenants.notifications.wording import get_wording

    with tenant_context(world.trust, world.app):
        for variant in VARIANTS:
            text = get_wording(db.session, template, variant).body_text
            for promise in PROMISES[template]:
                words = promise.words_in(variant)
                assert words is None or words in text, (template, variant, words)


@pytest.mark.parametrize(("template", "variant", "promise"), list(_cases()))
def test_the_promise_is_kept(world, template, variant, promise):
    sent = SENDS[template](world, variant == "easy_read")
    assert sent.row.variant == variant
    assert promise.words_in(variant) in sent.row.body_text
    promise.check(world, sent)
