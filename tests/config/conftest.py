"""Fixtures for the trust configuration tests: one onboarded trust per module, with a lead
and a read-only coordinator, and signed-in clients."""

from __future__ import annotations

import pytest

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens import service as tokens
from tenants.coordinators.service import create_coordinator
from tests.conftest import unique_slug
from tests.test_coordinator_sign_in import LEAD_SECRET, csrf_from, sign_in

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def trust(app):
    with app.app_context():
        tenant = trust_admin.onboard(slug=unique_slug("cfg"), display_name="Config NHS Trust",
                                     actor="test")
    with app.app_context(), tenant_context(tenant):
        lead = create_coordinator(db.session, email="lead@cfg.example", display_name="Lead",
                                  role="lead", password=PASSWORD,
                                  totp_secret=LEAD_SECRET)
        create_coordinator(db.session, email="reader@cfg.example", display_name="Reader",
                           role="read_only", password=PASSWORD,
                           totp_secret=LEAD_SECRET)
        _, read_text = tokens.issue(db.session, tenant, lead.id, "read", "read")
        _, write_text = tokens.issue(db.session, tenant, lead.id, "write", "write")
        db.session.commit()
    tenant_tokens = {"read": read_text, "write": write_text}
    return tenant, tenant_tokens


@pytest.fixture
def tenant(trust):
    return trust[0]


def _signed_in(app, tenant, email: str):
    """Signs in with two-factor; forgets the last used TOTP step first, since these tests
    sign the same people in many times within one 30-second step (replay protection)."""
    redis = app.extensions["redis"]
    for key in redis.scan_iter(f"peerpath:totp-step:trust:{tenant.slug}:*"):
        redis.delete(key)
    client = app.test_client()
    assert sign_in(client, tenant, email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def lead(app, tenant):
    return _signed_in(app, tenant, "lead@cfg.example")


@pytest.fixture
def reader(app, tenant):
    return _signed_in(app, tenant, "reader@cfg.example")


@pytest.fixture
def in_trust(app, tenant):
    """A block inside the trust: `with in_trust(): db.session...`."""
    return lambda: tenant_context(tenant, app)


def post_form(client, url: str, data: dict, *, page: str | None = None):
    """POST a form with the CSRF token of the page it is on."""
    token = csrf_from(client.get(page or url))
    return client.post(url, data={**data, "csrf_token": token})


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}
