"""Where applicants heard of the programme: a platform step on every trust's EOI after the
trust's own questions, shown on "Check your answers"; a coordinator asks it for a paper or
phone EOI; someone marked as having come to a drop-in who does not say is counted there."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.infosessions.models import Booking, InfoSession
from tests.applications.helpers import (
    answer_all,
    create_cohort,
    onboard_trust,
    post_form,
    start_application,
    submit,
)
from tests.config.test_public_page import text_of
from tests.workspace.helpers import signed_in_client

ANSWERS = {"lived_experience.answer": "yes", "available_all_training_days.answer": "yes",
           "willing_to_share_experience.answer": "yes"}


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "heard", "Heard NHS Trust")


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust, name="Heard cohort")


def heard_via_of(app, trust, email: str) -> str | None:
    with tenant_context(trust, app):
        return db.session.scalars(select(Application.heard_via).join(
            Applicant, Applicant.id == Application.applicant_id)
            .where(Applicant.email == email)).one()


def came_to_a_drop_in(app, trust, email: str, *, attended: bool | None) -> None:
    with tenant_context(trust, app):
        drop_in = InfoSession(title="Drop-in", on_date=dt.date.today() - dt.timedelta(days=7),
                              starts_at=dt.time(10), ends_at=dt.time(11), place="Hall")
        db.session.add(drop_in)
        db.session.flush()
        db.session.add(Booking(info_session_id=drop_in.id, name="Someone",
                               email=email.upper(), attended=attended))
        db.session.commit()


def test_the_applicant_says_where_they_heard_after_equality_monitoring(app, trust,
                                                                       cohort_id):
    client, email = app.test_client(), "poster@applicant.example"
    start_application(client, trust, cohort_id, email=email)
    after_equality = answer_all(client, trust)
    step = f"/trusts/{trust.slug}/apply/step/where-heard"
    assert after_equality.headers["Location"].endswith(step)
    page = client.get(step)
    words = text_of(page)
    assert "Where did you first hear about the training? (optional)" in words
    assert "From my care team or care coordinator" in words and "Somewhere else" in words
    assert re.search(r'href="[^"]*/apply/step/equality-monitoring"', page.get_data(as_text=True))

    wrong = post_form(client, step, {"heard_via": "the moon"})
    assert wrong.status_code == 400 and "<title>Error: " in wrong.get_data(as_text=True)
    assert 'href="#heard_via"' in wrong.get_data(as_text=True)
    assert "Select where you heard about the training" in text_of(wrong)

    chosen = post_form(client, step, {"heard_via": "poster_leaflet"})
    assert chosen.headers["Location"].endswith("/apply/check-your-answers")
    check = client.get(f"/trusts/{trust.slug}/apply/check-your-answers")
    row = re.search(r'<div class="nhsuk-summary-list__row" id="where-heard">(.*?)</div>',
                    check.get_data(as_text=True), re.S).group(1)
    assert "From a poster or leaflet" in row and "where-heard?change=1" in row
    # Changing it goes back to the check page, showing the answer chosen before.
    change = client.get(step + "?change=1").get_data(as_text=True)
    assert re.search(r'value="poster_leaflet"[^>]*checked', change)
    changed = post_form(client, step + "?change=1", {"heard_via": "social_media"})
    assert changed.headers["Location"].endswith("/apply/check-your-answers")
    assert submit(client, trust).status_code == 302
    assert heard_via_of(app, trust, email) == "social_media"
    # A sent EOI's answer is what was sent.
    assert client.get(step).status_code == 302


def test_no_answer_is_not_answered_unless_a_drop_in_booking_says_they_came(app, trust,
                                                                           cohort_id):
    for email, attended, expected in (("quiet@applicant.example", None, None),
                                      ("absent@applicant.example", False, None),
                                      ("came@applicant.example", True, "drop_in")):
        if attended is not None:
            came_to_a_drop_in(app, trust, email, attended=attended)
        client = app.test_client()
        start_application(client, trust, cohort_id, email=email)
        answer_all(client, trust)
        skipped = post_form(client, f"/trusts/{trust.slug}/apply/step/where-heard", {})
        assert skipped.status_code == 302  # optional: nothing chosen is fine
        assert "Not answered" in text_of(
            client.get(f"/trusts/{trust.slug}/apply/check-your-answers"))
        assert submit(client, trust).status_code == 302
        assert heard_via_of(app, trust, email) == expected, email


def test_an_answer_given_is_kept_even_after_a_drop_in(app, trust, cohort_id):
    client, email = app.test_client(), "friend@applicant.example"
    came_to_a_drop_in(app, trust, email, attended=True)
    start_application(client, trust, cohort_id, email=email)
    answer_all(client, trust)
    post_form(client, f"/trusts/{trust.slug}/apply/step/where-heard",
              {"heard_via": "friend_family"})
    assert submit(client, trust).status_code == 302
    assert heard_via_of(app, trust, email) == "friend_family"


def test_a_coordinator_records_where_a_phone_applicant_heard(app, trust, cohort_id):
    client, _ = signed_in_client(app, trust, "coordinator")
    listing = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications")
    url = re.search(r'href="([^"]+/applications/new)"', listing.get_data(as_text=True)).group(1)
    form = {"name": "Phoebe Phone", "email": "phoebe@applicant.example", "channel": "phone",
            "consent": "yes", **ANSWERS}
    wrong = post_form(client, url, {**form, "heard_via": "telepathy"})
    assert wrong.status_code == 400 and "There is a problem" in text_of(wrong)
    assert "Choose where they heard about the training" in text_of(wrong)
    assert "phoebe@applicant.example" in wrong.get_data(as_text=True)  # nothing lost
    done = post_form(client, url, {**form, "heard_via": "recovery_college"})
    assert done.status_code == 302, text_of(done)[:2000]
    assert heard_via_of(app, trust, "phoebe@applicant.example") == "recovery_college"
    page = text_of(client.get(done.headers["Location"]))
    assert "Where they heard about the training At a Recovery College" in page

    # Left blank, a phone applicant marked at a drop-in is counted there.
    came_to_a_drop_in(app, trust, "pip@applicant.example", attended=True)
    blank = post_form(client, url, {**form, "name": "Pip Phone",
                                    "email": "pip@applicant.example"})
    assert blank.status_code == 302
    assert heard_via_of(app, trust, "pip@applicant.example") == "drop_in"
