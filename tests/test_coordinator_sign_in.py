"""The trust-bound coordinator sign-in: password, then the code from the authenticator app."""

from __future__ import annotations

import re

import pyotp
import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator


def csrf_from(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                      r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the form must carry a CSRF token"
    return match.group(1) or match.group(2)


LEAD_SECRET = pyotp.random_base32()


@pytest.fixture
def trust_with_lead(app, make_trust):
    tenant = make_trust()
    with app.app_context(), tenant_context(tenant):
        create_coordinator(db.session, email="lead@trust.example", display_name="Lead",
                           role="lead", password="correct horse battery",
                           totp_secret=LEAD_SECRET)
        db.session.commit()
    return tenant


def sign_in(client, tenant, email, password):
    """The password step; when it passes, the two-factor step with the app's current code."""
    page = client.get(f"/trusts/{tenant.slug}/coordinator/sign-in")
    response = client.post(f"/trusts/{tenant.slug}/coordinator/sign-in",
                           data={"email": email, "password": password,
                                 "csrf_token": csrf_from(page)})
    if response.status_code != 302:
        return response
    two_factor = f"/trusts/{tenant.slug}/coordinator/sign-in/two-factor"
    assert response.headers["Location"] == two_factor
    # Tests sign in often: forget the last code used, so a second sign-in within the same
    # 30 seconds is not refused as a replay (tests/accounts checks replays themselves).
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter(f"peerpath:totp-step:trust:{tenant.slug}:*"):
        redis.delete(key)
    page = client.get(two_factor)
    return client.post(two_factor, data={"code": pyotp.TOTP(LEAD_SECRET).now(),
                                         "csrf_token": csrf_from(page)})


def test_a_coordinator_signs_in_to_their_own_trust(client, trust_with_lead):
    response = sign_in(client, trust_with_lead, "LEAD@trust.example", "correct horse battery")
    assert response.status_code == 302
    home = client.get(f"/trusts/{trust_with_lead.slug}/coordinator/")
    assert home.status_code == 200 and "Signed in as Lead" in home.get_data(as_text=True)


def test_the_session_is_anonymous_in_another_trust(client, trust_with_lead, make_trust):
    other = make_trust()
    sign_in(client, trust_with_lead, "lead@trust.example", "correct horse battery")
    response = client.get(f"/trusts/{other.slug}/coordinator/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_another_trusts_coordinator_cannot_sign_in_here(client, trust_with_lead, make_trust):
    other = make_trust()
    response = sign_in(client, other, "lead@trust.example", "correct horse battery")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "Enter a correct email address and password" in body
    assert "<title>Error: " in body


def test_a_wrong_password_keeps_the_email_and_shows_an_error_summary(client, trust_with_lead):
    response = sign_in(client, trust_with_lead, "lead@trust.example", "wrong")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="lead@trust.example"' in body and "wrong" not in body.split("<main")[1]


def test_a_sign_in_post_without_the_csrf_token_is_refused(client, trust_with_lead):
    response = client.post(f"/trusts/{trust_with_lead.slug}/coordinator/sign-in",
                           data={"email": "lead@trust.example",
                                 "password": "correct horse battery"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_bad_input_gets_field_errors_not_a_500(client, trust_with_lead):
    for email in ("", "not-an-email", "x" * 5000, "\x00"):
        response = sign_in(client, trust_with_lead, email, "")
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)
