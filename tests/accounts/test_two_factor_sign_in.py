"""Coordinator sign-in: password, then TOTP (or first-time set-up), recovery codes, audit."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from accounts.conftest import enter_code, sign_in, sign_in_password
from accounts.helpers import post_form
from peerpath import sessions
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tenants.coordinators.models import Coordinator, RecoveryCode


def home(trust) -> str:
    return f"/trusts/{trust.slug}/coordinator/"


def audit_actions(app, trust, coordinator_id) -> list[str]:
    with app.app_context(), tenant_context(trust):
        return list(db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.record_id == str(coordinator_id))
            .order_by(AuditEvent.id)))


def test_a_password_alone_does_not_sign_anyone_in(client, trust, make_coordinator):
    _, email, _ = make_coordinator()
    response = sign_in_password(client, trust, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/two-factor")
    assert "/sign-in" in client.get(home(trust)).headers["Location"]


def test_the_code_from_the_app_completes_sign_in_and_is_audited(app, client, trust,
                                                                make_coordinator):
    coordinator_id, email, secret = make_coordinator()
    sign_in_password(client, trust, email)
    page = client.get(home(trust) + "sign-in/two-factor").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page
    response = enter_code(client, trust, pyotp.TOTP(secret).now())
    assert response.status_code == 302 and response.headers["Location"] == home(trust)
    assert client.get(home(trust)).status_code == 200
    assert audit_actions(app, trust, coordinator_id)[-1] == "coordinator.sign_in"


def test_a_wrong_code_shows_an_error_and_five_send_the_person_back_to_the_start(
        app, client, trust, make_coordinator):
    coordinator_id, email, _ = make_coordinator()
    sign_in_password(client, trust, email)
    for _ in range(sessions.PENDING_MAX_ATTEMPTS - 1):
        response = enter_code(client, trust, "000000")
        assert response.status_code == 400
        assert "Enter a correct code" in response.get_data(as_text=True)
    response = enter_code(client, trust, "000000")
    assert "Sign in again" in response.get_data(as_text=True)
    assert client.get(home(trust) + "sign-in/two-factor").status_code == 302
    assert audit_actions(app, trust, coordinator_id).count("coordinator.sign_in_failed") == 5


def test_a_code_replayed_from_another_browser_is_refused(app, trust, make_coordinator):
    _, email, secret = make_coordinator()
    code = pyotp.TOTP(secret).now()
    first, second = app.test_client(), app.test_client()
    sign_in_password(first, trust, email)
    sign_in_password(second, trust, email)
    assert enter_code(first, trust, code).status_code == 302
    response = enter_code(second, trust, code)
    assert response.status_code == 400
    assert "/sign-in" in second.get(home(trust)).headers["Location"]


def test_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(
        app, client, trust, make_coordinator):
    coordinator_id, email, _ = make_coordinator(enrolled=False)
    response = sign_in_password(client, trust, email)
    assert response.headers["Location"].endswith("/sign-in/set-up-two-factor")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<svg role="img"' in page and "<script>" not in page.split("<main")[1]
    secret = re.search(r'<code class="app-secret">([A-Z2-7 ]+)</code>', page).group(1)
    response = enter_code(client, trust, pyotp.TOTP(secret.replace(" ", "")).now(),
                          page="set-up-two-factor")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", body)
    assert len(codes) == 10
    assert client.get(home(trust)).status_code == 200
    with app.app_context(), tenant_context(trust):
        coordinator = db.session.get(Coordinator, coordinator_id)
        assert coordinator.totp_secret and coordinator.totp_enrolled_at
        hashes = db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.coordinator_id == coordinator_id)).all()
    assert len(hashes) == 10 and not any(codes[0].replace("-", "") in h for h in hashes)
    assert "coordinator.two_factor_enrolled" in audit_actions(app, trust, coordinator_id)


def test_a_wrong_code_during_set_up_keeps_the_same_secret_on_the_page(client, trust,
                                                                      make_coordinator):
    _, email, _ = make_coordinator(enrolled=False)
    sign_in_password(client, trust, email)
    path = home(trust) + "sign-in/set-up-two-factor"
    before = re.search(r'app-secret">([^<]+)<', client.get(path).get_data(as_text=True))
    response = enter_code(client, trust, "000000", page="set-up-two-factor")
    after = re.search(r'app-secret">([^<]+)<', response.get_data(as_text=True))
    assert response.status_code == 400 and before.group(1) == after.group(1)


def _recovery_codes(app, trust, coordinator_id) -> list[str]:
    from tenants.coordinators import signin

    with app.test_request_context(f"/trusts/{trust.slug}/"), tenant_context(trust):
        codes = signin.replace_recovery_codes(db.session,
                                              db.session.get(Coordinator, coordinator_id))
        db.session.commit()
    return codes


def test_a_recovery_code_signs_in_once_only(app, client, trust, make_coordinator):
    coordinator_id, email, _ = make_coordinator()
    code = _recovery_codes(app, trust, coordinator_id)[3]
    sign_in_password(client, trust, email)
    assert enter_code(client, trust, code.upper(), page="recovery-code").status_code == 302
    assert client.get(home(trust)).status_code == 200
    post_form(client, home(trust) + "sign-out", {}, form_page=home(trust))

    sign_in_password(client, trust, email)
    response = enter_code(client, trust, code, page="recovery-code")
    assert response.status_code == 400
    assert "/sign-in" in client.get(home(trust)).headers["Location"]
    assert "coordinator.recovery_code_used" in audit_actions(app, trust, coordinator_id)


def test_an_unknown_email_and_a_wrong_password_get_the_same_message(client, trust,
                                                                    make_coordinator):
    _, email, _ = make_coordinator()
    unknown = sign_in_password(client, trust, "nobody@trust.example").get_data(as_text=True)
    wrong = sign_in_password(client, trust, email, "wrong password").get_data(as_text=True)
    message = "Enter a correct email address and password"
    assert message in unknown and message in wrong


def test_a_deactivated_coordinator_cannot_sign_in(app, client, trust, make_coordinator):
    coordinator_id, email, secret = make_coordinator()
    with app.app_context(), tenant_context(trust):
        db.session.get(Coordinator, coordinator_id).active = False
        db.session.commit()
    assert sign_in(client, trust, email, secret).status_code == 400


def test_a_half_finished_sign_in_at_one_trust_is_nothing_at_another(client, trust,
                                                                   make_coordinator, make_trust):
    other = make_trust()
    _, email, secret = make_coordinator()
    sign_in_password(client, trust, email)
    elsewhere = f"/trusts/{other.slug}/coordinator/sign-in/two-factor"
    assert client.get(elsewhere).headers["Location"].endswith("/sign-in")
    response = post_form(client, elsewhere, {"code": pyotp.TOTP(secret).now()},
                         form_page=home(trust) + "sign-in/two-factor")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert "/sign-in" in client.get(f"/trusts/{other.slug}/coordinator/").headers["Location"]


def test_sign_in_and_sign_out_are_audited(app, client, trust, make_coordinator):
    coordinator_id, email, secret = make_coordinator()
    sign_in(client, trust, email, secret)
    post_form(client, home(trust) + "sign-out", {}, form_page=home(trust))
    with app.app_context(), tenant_context(trust):
        actors = db.session.scalars(select(AuditEvent.actor).where(
            AuditEvent.action == "coordinator.sign_out")).all()
    assert f"trust:{trust.slug}:{coordinator_id}" in actors
