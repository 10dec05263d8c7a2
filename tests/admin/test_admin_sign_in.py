"""Platform admin sign-in: password plus mandatory TOTP, and realm separation."""

from __future__ import annotations

import pyotp
import pytest
from accounts.conftest import PASSWORD as COORDINATOR_PASSWORD
from accounts.conftest import sign_in as sign_in_coordinator
from accounts.helpers import csrf_from, post_form

from admin.conftest import ADMIN_PASSWORD, enrol_secret_from, sign_in_admin
from peerpath import twofactor
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator


def test_a_first_sign_in_enrols_totp_with_an_inline_svg_qr_code_and_recovery_codes(
        client, make_admin):
    email, _ = make_admin(enrolled=False)
    post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    page = client.get("/admin/sign-in/set-up-two-factor")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in body
    assert "<script>" not in body and 'style="' not in body.split("<main")[1]
    assert client.get("/admin/trusts").status_code == 302  # not signed in until the code
    secret = enrol_secret_from(page)
    done = client.post("/admin/sign-in/set-up-two-factor",
                       data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_from(page)})
    codes = done.get_data(as_text=True).split("app-recovery-codes")[1]
    assert done.status_code == 200 and codes.count("<code>") == 10
    assert client.get("/admin/trusts").status_code == 200


def test_a_password_alone_never_signs_an_admin_in(client, make_admin):
    email, _ = make_admin()
    response = post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    assert response.headers["Location"].endswith("/admin/sign-in/two-factor")
    assert client.get("/admin/trusts").status_code == 302


def test_a_wrong_code_shows_an_error_summary_and_five_end_the_attempt(client, make_admin):
    email, _ = make_admin()
    post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    response = post_form(client, "/admin/sign-in/two-factor", {"code": "000000"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body and "Error: " in body
    for _ in range(4):
        response = post_form(client, "/admin/sign-in/two-factor", {"code": "000000"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")


def test_a_recovery_code_signs_in_once(client, app, make_admin):
    from peerpath.admin import accounts

    email, _ = make_admin()
    with app.app_context():
        admin_id = accounts.check_password(email, ADMIN_PASSWORD).id
        codes = accounts.complete_enrolment(admin_id, pyotp.random_base32())
    post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    assert post_form(client, "/admin/sign-in/two-factor",
                     {"code": codes[0]}).status_code == 302
    assert client.get("/admin/trusts").status_code == 200
    post_form(client, "/admin/sign-out", {}, form_page="/admin/trusts")
    post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    assert post_form(client, "/admin/sign-in/two-factor",
                     {"code": codes[0]}).status_code == 400


def test_a_wrong_password_keeps_the_email_and_bad_input_is_never_a_500(client, make_admin):
    email, _ = make_admin()
    response = post_form(client, "/admin/sign-in", {"email": email, "password": "wrong"})
    assert response.status_code == 400 and f'value="{email}"' in response.get_data(as_text=True)
    for bad in ("", "not-an-email", "x" * 5000, "\x00"):
        response = post_form(client, "/admin/sign-in", {"email": bad, "password": ""})
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)


def test_signing_out_ends_the_session_on_the_server(client, app, make_admin):
    email, secret = make_admin()
    sign_in_admin(client, email, secret)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    post_form(client, "/admin/sign-out", {}, form_page="/admin/trusts")
    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert replay.get("/admin/trusts").status_code == 302


def test_an_admin_session_is_anonymous_on_trust_pages(admin_client, module_trust):
    assert admin_client.get("/admin/trusts").status_code == 200
    response = admin_client.get(f"/trusts/{module_trust.slug}/coordinator/")
    assert response.status_code == 302 and "/coordinator/sign-in" in response.headers["Location"]


def test_a_coordinator_session_is_refused_by_the_console(client, app, module_trust):
    secret = twofactor.new_secret()
    with app.app_context(), tenant_context(module_trust):
        create_coordinator(db.session, email="lead@console.example", display_name="Lead",
                           role="lead", password=COORDINATOR_PASSWORD, totp_secret=secret)
        db.session.commit()
    signed_in = sign_in_coordinator(client, module_trust, "lead@console.example", secret,
                                    password=COORDINATOR_PASSWORD)
    assert signed_in.status_code == 302
    assert client.get(f"/trusts/{module_trust.slug}/coordinator/").status_code == 200
    for path in ("/admin/", "/admin/trusts", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("path", [
    "/admin/sign-in", "/admin/sign-in/two-factor", "/admin/sign-in/set-up-two-factor",
    "/admin/sign-out", "/admin/trusts/new", "/admin/trusts/{slug}/status",
    "/admin/trusts/{slug}/export", "/admin/trusts/{slug}/offboard", "/admin/api-tokens",
    "/admin/api-tokens/1/revoke", "/admin/admins", "/admin/admins/1/deactivate",
])
def test_every_console_form_refuses_a_post_without_its_csrf_token(admin_client, module_trust,
                                                                  path):
    response = admin_client.post(path.format(slug=module_trust.slug),
                                 data={"action": "suspend", "confirmation": module_trust.slug})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
