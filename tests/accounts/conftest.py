"""Fixtures for the account tests: one trust per module, coordinators made per test."""

from __future__ import annotations

import secrets

import pytest

from accounts.helpers import post_form
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def trust(app):
    from peerpath import trust_admin

    with app.app_context():
        return trust_admin.onboard(slug=f"acc-{secrets.token_hex(4)}",
                                   display_name="Accounts NHS Trust", actor="test")


@pytest.fixture
def make_coordinator(app, trust):
    """make_coordinator(role="coordinator", tenant=trust) -> (id, email)."""

    def make(role: str = "coordinator", tenant=None, **kwargs):
        email = f"{role}-{secrets.token_hex(4)}@trust.example"
        with app.app_context(), tenant_context(tenant or trust):
            coordinator = create_coordinator(db.session, email=email, display_name=role.title(),
                                             role=role, password=PASSWORD, **kwargs)
            db.session.commit()
            return coordinator.id, email

    return make


def sign_in(client, tenant, email: str, password: str = PASSWORD, **kwargs):
    return post_form(client, f"/trusts/{tenant.slug}/coordinator/sign-in",
                     {"email": email, "password": password}, **kwargs)


@pytest.fixture
def signed_in(client, trust, make_coordinator):
    """A client signed in as a new coordinator of `trust`: (client, coordinator id)."""
    coordinator_id, email = make_coordinator()
    response = sign_in(client, trust, email)
    assert response.status_code == 302
    return client, coordinator_id
