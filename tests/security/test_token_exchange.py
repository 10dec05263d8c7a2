"""Exchange, then redirect: a token from a message is in one request line only.

Its first GET answers 303 to a token-free page (with no Referer leaving it), the token-free
page reads the grant from the session, a mail scanner's fetch spends nothing, a grant is
bound to its trust and lapses, and a dead link or a missing grant gets a kind page saying
what to do next, never a 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from peerpath import grants
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.infosessions import service as dropins
from tenants.infosessions.models import Booking
from tests.accounts.helpers import csrf_from, post_form
from tests.applications.helpers import (
    create_cohort,
    open_link,
    sign_in_link,
    start_application,
    use_sign_in_link,
)
from tests.config.test_public_page import text_of
from tests.noemail.helpers import new_drop_in


@pytest.fixture
def trust(make_trust):
    return make_trust(display_name="Exchange NHS Trust")


@pytest.fixture
def applicant(app, trust):
    email = "exchange@applicant.example"
    start_application(app.test_client(), trust, create_cohort(app, trust), email=email)
    return email


def booking_token(app, trust) -> str:
    session_id = new_drop_in(app, trust)
    with tenant_context(trust, app):
        booking = dropins.book(db.session, session_id, {"name": "Ex", "email": "ex@b.test"},
                               dt.date.today())
        db.session.commit()
        return dropins.cancel_token(trust.slug, booking)


def test_every_token_link_hops_once_to_a_page_without_its_token(app, trust, applicant):
    client = app.test_client()
    sign_in = open_link(client, f"/trusts/{trust.slug}/account/sign-in/"
                                f"{sign_in_link(app, trust, applicant)}")
    assert sign_in == f"/trusts/{trust.slug}/account/sign-in/link"
    token = booking_token(app, trust)
    for path, lands in ((f"booked/{token}", "your-booking"),
                        (f"booked/{token}/session.ics", "your-booking/session.ics"),
                        (f"cancel/{token}", "your-booking/cancel")):
        landed = open_link(client, f"/trusts/{trust.slug}/drop-ins/{path}")
        assert landed == f"/trusts/{trust.slug}/drop-ins/{lands}"
        page = client.get(landed)
        assert page.status_code == 200 and token not in page.get_data(as_text=True)
        assert page.headers["Referrer-Policy"] == "no-referrer"


def test_a_mail_scanner_opening_the_link_spends_nothing(app, trust, applicant):
    token = sign_in_link(app, trust, applicant)
    scanner = app.test_client()
    fetched = scanner.get(f"/trusts/{trust.slug}/account/sign-in/{token}",
                          follow_redirects=True)
    assert fetched.status_code == 200 and "Press the button to sign in" in text_of(fetched)
    person = app.test_client()
    assert use_sign_in_link(person, trust, token).status_code == 302
    assert person.get(f"/trusts/{trust.slug}/account/").status_code == 200


def test_a_used_link_and_a_page_without_its_grant_say_what_to_do_next(app, trust, applicant):
    token = sign_in_link(app, trust, applicant)
    first, second = app.test_client(), app.test_client()
    page = open_link(first, f"/trusts/{trust.slug}/account/sign-in/{token}")
    assert open_link(second, f"/trusts/{trust.slug}/account/sign-in/{token}") == page
    forms = [csrf_from(client.get(page)) for client in (first, second)]
    assert first.post(page, data={"csrf_token": forms[0]}).status_code == 302
    late = second.post(page, data={"csrf_token": forms[1]})  # used a moment ago elsewhere
    assert late.status_code == 404 and "Get a new link" in text_of(late)
    used = app.test_client().get(f"/trusts/{trust.slug}/account/sign-in/{token}")
    assert used.status_code == 404 and "Sign-in links work once" in text_of(used)
    nothing_held = app.test_client().get(page)
    assert nothing_held.status_code == 404 and "Get a new link" in text_of(nothing_held)
    for path in ("drop-ins/your-booking", "drop-ins/your-booking/cancel",
                 "drop-ins/your-booking/session.ics", "coordinator/invitation"):
        answer = app.test_client().get(f"/trusts/{trust.slug}/{path}")
        assert answer.status_code == 404, path
        assert "does not work" in text_of(answer), path


def test_a_grant_is_bound_to_its_trust(app, trust, make_trust):
    other = make_trust()
    client = app.test_client()
    open_link(client, f"/trusts/{trust.slug}/drop-ins/booked/{booking_token(app, trust)}")
    assert client.get(f"/trusts/{trust.slug}/drop-ins/your-booking").status_code == 200
    elsewhere = client.get(f"/trusts/{other.slug}/drop-ins/your-booking")
    assert elsewhere.status_code == 404 and "does not work" in text_of(elsewhere)


def test_a_grant_lapses(app, trust):
    client, token = app.test_client(), booking_token(app, trust)
    page = open_link(client, f"/trusts/{trust.slug}/drop-ins/booked/{token}")
    assert client.get(page).status_code == 200
    with client.session_transaction() as session:
        held = session[grants.SESSION_KEY]
        assert held and token not in str(held)  # the booking's id, not its signed token
        session[grants.SESSION_KEY] = {name: [value, 0] for name, (value, _) in held.items()}
    assert client.get(page).status_code == 404


def test_the_session_holds_the_tokens_hash_never_the_token(app, trust, applicant):
    token = sign_in_link(app, trust, applicant)
    client = app.test_client()
    open_link(client, f"/trusts/{trust.slug}/account/sign-in/{token}")
    with client.session_transaction() as session:
        assert token not in str(dict(session))
        assert session[grants.SESSION_KEY]


def test_booking_goes_straight_to_the_token_free_page(app, trust):
    session_id = new_drop_in(app, trust)
    client = app.test_client()
    booked = post_form(client, f"/trusts/{trust.slug}/drop-ins/{session_id}/book",
                       {"name": "Straight Through", "email": "straight@b.test"})
    assert booked.headers["Location"] == f"/trusts/{trust.slug}/drop-ins/your-booking"
    page = client.get(booked.headers["Location"])
    assert "Your place is booked" in text_of(page)
    with tenant_context(trust, app):
        booking = db.session.scalars(select(Booking).where(
            Booking.info_session_id == session_id)).one()
        assert dropins.cancel_token(trust.slug, booking) not in page.get_data(as_text=True)
