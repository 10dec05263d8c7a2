"""Fixtures for the console tests: platform admins, signed-in console clients, trusts."""

from __future__ import annotations

import re
import secrets

import pyotp
import pytest
from accounts.helpers import csrf_from, post_form

from peerpath.admin import accounts, tokens

ADMIN_PASSWORD = "correct horse battery staple admin"


def new_admin_email() -> str:
    return f"admin-{secrets.token_hex(4)}@peerpath.example"


@pytest.fixture
def make_admin(app):
    """make_admin(enrolled=True) -> (email, totp secret or None)."""

    def make(enrolled: bool = True):
        email = new_admin_email()
        with app.app_context():
            admin = accounts.create_admin(email, ADMIN_PASSWORD)
            secret = pyotp.random_base32() if enrolled else None
            if secret:
                accounts.complete_enrolment(admin.id, secret)
        return email, secret

    return make


def enrol_secret_from(page) -> str:
    match = re.search(r"<code>([A-Z2-7 ]{20,})</code>", page.get_data(as_text=True))
    assert match, "the enrolment page shows the key to type in"
    return match.group(1).replace(" ", "")


def sign_in_admin(client, email: str, secret: str | None):
    """Password then code (enrolling first when there is no secret); returns the last response
    and the secret in use."""
    response = post_form(client, "/admin/sign-in", {"email": email, "password": ADMIN_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    # Admin ids restart with each test database while Redis keeps the last used TOTP step
    # (replay protection, tested on its own): forget those steps.
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter("peerpath:totp-step:platform:*"):
        redis.delete(key)
    if secret is None:
        page = client.get("/admin/sign-in/set-up-two-factor")
        secret = enrol_secret_from(page)
        response = client.post("/admin/sign-in/set-up-two-factor",
                               data={"code": pyotp.TOTP(secret).now(),
                                     "csrf_token": csrf_from(page)})
    else:
        response = post_form(client, "/admin/sign-in/two-factor",
                             {"code": pyotp.TOTP(secret).now()})
    return response, secret


@pytest.fixture(scope="module")
def admin_client(app):
    """A console client signed in as a fresh, enrolled admin (one per module)."""
    client = app.test_client()
    email = new_admin_email()
    with app.app_context():
        admin = accounts.create_admin(email, ADMIN_PASSWORD)
        secret = pyotp.random_base32()
        accounts.complete_enrolment(admin.id, secret)
    response, _ = sign_in_admin(client, email, secret)
    assert response.status_code == 302
    client.admin_email = email
    client.admin_id = admin.id
    return client


@pytest.fixture(scope="module")
def api_token(app, admin_client):
    with app.app_context():
        _token, text = tokens.issue(admin_client.admin_id, "tests")
    return text


@pytest.fixture(scope="module")
def module_trust(app):
    from peerpath import trust_admin

    with app.app_context():
        return trust_admin.onboard(slug=f"adm-{secrets.token_hex(4)}",
                                   display_name="Console NHS Trust", actor="test")


def console_post(client, path: str, data: dict, form_page: str):
    return post_form(client, path, data, form_page=form_page)


@pytest.fixture(scope="session", autouse=True)
def exports_in_a_temporary_folder(app, tmp_path_factory):
    """Exports hold trust data: keep the tests' out of the working tree."""
    app.config["EXPORT_DIR"] = str(tmp_path_factory.mktemp("exports"))
