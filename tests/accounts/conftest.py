"""Fixtures for the account tests: one trust per module, coordinators made per test."""

from __future__ import annotations

import secrets

import pyotp
import pytest

from accounts.helpers import post_form
from peerpath import twofactor
from peerpath.auth import hash_password
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2id is slow on purpose


@pytest.fixture(scope="module")
def trust(app):
    from peerpath import trust_admin

    with app.app_context():
        return trust_admin.onboard(slug=f"acc-{secrets.token_hex(4)}",
                                   display_name="Accounts NHS Trust", actor="test")


@pytest.fixture
def make_coordinator(app, trust):
    """make_coordinator(role="coordinator", tenant=trust, enrolled=True) -> (id, email, secret).

    Enrolled coordinators get a TOTP secret (returned); others enrol at first sign-in.
    """

    def make(role: str = "coordinator", tenant=None, enrolled: bool = True):
        email = f"{role}-{secrets.token_hex(4)}@trust.example"
        secret = twofactor.new_secret() if enrolled else None
        with app.app_context(), tenant_context(tenant or trust):
            coordinator = create_coordinator(db.session, email=email, display_name=role.title(),
                                             role=role, totp_secret=secret)
            coordinator.password_hash = PASSWORD_HASH
            db.session.commit()
            return coordinator.id, email, secret

    return make


def sign_in_password(client, tenant, email: str, password: str = PASSWORD, **kwargs):
    return post_form(client, f"/trusts/{tenant.slug}/coordinator/sign-in",
                     {"email": email, "password": password}, **kwargs)


def enter_code(client, tenant, code: str, page: str = "two-factor", **kwargs):
    return post_form(client, f"/trusts/{tenant.slug}/coordinator/sign-in/{page}",
                     {"code": code}, **kwargs)


def sign_in(client, tenant, email: str, secret: str, password: str = PASSWORD, **kwargs):
    """Both steps. Forgets the last used TOTP step first: tests sign the same person in several
    times within one 30-second step, which replay protection (tested on its own) refuses."""
    response = sign_in_password(client, tenant, email, password, **kwargs)
    if response.status_code != 302 or not response.headers["Location"].endswith("/two-factor"):
        return response
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter(f"peerpath:totp-step:trust:{tenant.slug}:*"):
        redis.delete(key)
    return enter_code(client, tenant, pyotp.TOTP(secret).now(), **kwargs)


@pytest.fixture
def signed_in(client, trust, make_coordinator):
    """A client signed in as a new coordinator of `trust`: (client, coordinator id)."""
    coordinator_id, email, secret = make_coordinator()
    response = sign_in(client, trust, email, secret)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, coordinator_id
