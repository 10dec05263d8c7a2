"""A signed-in coordinator's recovery codes: how many are left, and a new set after a code."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from accounts.conftest import enter_code, sign_in, sign_in_password
from accounts.helpers import post_form
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tenants.coordinators import signin
from tenants.coordinators.models import Coordinator


def page(trust) -> str:
    return f"/trusts/{trust.slug}/coordinator/account/recovery-codes"


def forget_totp_steps(client, trust) -> None:
    """Codes are single-use per 30-second step; these tests use several in one step."""
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter(f"peerpath:totp-step:trust:{trust.slug}:*"):
        redis.delete(key)


def signed_in_with_codes(app, client, trust, make_coordinator):
    coordinator_id, email, secret = make_coordinator()
    with app.test_request_context(f"/trusts/{trust.slug}/"), tenant_context(trust):
        codes = signin.replace_recovery_codes(db.session,
                                              db.session.get(Coordinator, coordinator_id))
        db.session.commit()
    assert sign_in(client, trust, email, secret).status_code == 302
    forget_totp_steps(client, trust)
    return coordinator_id, email, secret, codes


def audit_events(app, trust, coordinator_id) -> list[tuple[str, dict]]:
    with app.app_context(), tenant_context(trust):
        return [(event.action, event.detail) for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.record_id == str(coordinator_id))
            .order_by(AuditEvent.id))]


def test_the_home_page_links_to_the_recovery_codes_page(client, trust, signed_in):
    home = client.get(f"/trusts/{trust.slug}/coordinator/").get_data(as_text=True)
    assert page(trust) in home


def test_the_page_says_how_many_codes_are_left(app, client, trust, make_coordinator):
    _, email, _, codes = signed_in_with_codes(app, client, trust, make_coordinator)
    body = client.get(page(trust)).get_data(as_text=True)
    assert "You have <strong>10</strong> recovery codes left" in body
    post_form(client, f"/trusts/{trust.slug}/coordinator/sign-out", {},
              form_page=f"/trusts/{trust.slug}/coordinator/")
    sign_in_password(client, trust, email)
    assert enter_code(client, trust, codes[0], page="recovery-code").status_code == 302
    body = client.get(page(trust)).get_data(as_text=True)
    assert "You have <strong>9</strong> recovery codes left" in body


def test_a_current_app_code_makes_ten_new_codes_and_the_old_ones_stop_working(
        app, client, trust, make_coordinator):
    coordinator_id, email, secret, old_codes = signed_in_with_codes(app, client, trust,
                                                                    make_coordinator)
    response = post_form(client, page(trust), {"code": pyotp.TOTP(secret).now()})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", body)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert "You have <strong>10</strong>" in client.get(page(trust)).get_data(as_text=True)

    post_form(client, f"/trusts/{trust.slug}/coordinator/sign-out", {},
              form_page=f"/trusts/{trust.slug}/coordinator/")
    sign_in_password(client, trust, email)
    assert enter_code(client, trust, old_codes[1], page="recovery-code").status_code == 400
    assert enter_code(client, trust, new_codes[1], page="recovery-code").status_code == 302

    events = audit_events(app, trust, coordinator_id)
    replaced = [detail for action, detail in events
                if action == "coordinator.recovery_codes_replaced"]
    assert replaced == [{"codes": 10}]
    written = repr(events).replace("-", "")
    assert not any(code.replace("-", "") in written for code in new_codes + old_codes)


def test_a_wrong_code_shows_an_error_summary_and_keeps_the_old_codes(
        app, client, trust, make_coordinator):
    coordinator_id, _, _, _ = signed_in_with_codes(app, client, trust, make_coordinator)
    response = post_form(client, page(trust), {"code": "000000"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body and "Enter a correct code" in body
    assert "<title>Error: " in body
    assert "You have <strong>10</strong>" in body
    actions = [action for action, _ in audit_events(app, trust, coordinator_id)]
    assert "coordinator.recovery_codes_refused" in actions
    assert "coordinator.recovery_codes_replaced" not in actions


def test_a_code_that_is_not_six_digits_is_a_form_error_not_a_failure(client, trust,
                                                                     make_coordinator, app):
    signed_in_with_codes(app, client, trust, make_coordinator)
    response = post_form(client, page(trust), {"code": "abc"})
    assert response.status_code == 400
    assert "Enter the 6-digit code from your authenticator app" in response.get_data(
        as_text=True)


def test_wrong_codes_are_rate_limited_like_the_sign_in_code_step(app, client, trust,
                                                                make_coordinator, redis_conn):
    _, _, secret, _ = signed_in_with_codes(app, client, trust, make_coordinator)
    statuses = [post_form(client, page(trust), {"code": "000000"}).status_code
                for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429
    response = post_form(client, page(trust), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "Wait" in response.get_data(as_text=True)


def test_a_form_without_the_csrf_token_is_refused(app, client, trust, make_coordinator):
    _, _, secret, _ = signed_in_with_codes(app, client, trust, make_coordinator)
    response = client.post(page(trust), data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 400
    assert "You have <strong>10</strong>" in client.get(page(trust)).get_data(as_text=True)


def test_someone_not_signed_in_is_sent_to_sign_in(client, trust):
    response = client.get(page(trust))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
