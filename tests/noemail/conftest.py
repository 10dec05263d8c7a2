"""The notification tests' real services (Notify stand-in, SMTP server, forking workers),
and two trusts for the no-e-mail journeys: one that sends texts through Notify and one
that does not (so its messages go by letter or a phone call)."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.notifications import channels
from tests.applications.helpers import onboard_trust
from tests.notifications.conftest import (  # noqa: F401 - fixtures shared with these tests
    notify_api_key,
    notify_server,
    smtp_server,
    start_worker,
    worker,
    worker_env,
)
from tests.workspace.helpers import signed_in_client

SMS_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def _trust(app, prefix: str, name: str):
    return onboard_trust(app, prefix, name, contact_email="peer-support@trust.example",
                         contact_phone="01632 960001")


@pytest.fixture(scope="module")
def postal_trust(app):
    """A trust with no text provider (the default)."""
    return _trust(app, "post", "Postal NHS Trust")


@pytest.fixture(scope="module")
def texting_trust(app):
    """A trust that sends texts through (a stand-in for) GOV.UK Notify, with no quiet hours."""
    tenant = _trust(app, "text", "Texting NHS Trust")
    with tenant_context(tenant, app=app):
        channels.update_settings(db.session, sms_provider="notify",
                                 notify_api_key=notify_api_key(),
                                 notify_sms_template_id=SMS_TEMPLATE,
                                 quiet_hours_start=dt.time(0), quiet_hours_end=dt.time(0))
        db.session.commit()
    return tenant


@pytest.fixture(scope="module")
def postal_lead(app, postal_trust):
    return signed_in_client(app, postal_trust, "lead")


@pytest.fixture(scope="module")
def texting_lead(app, texting_trust):
    return signed_in_client(app, texting_trust, "lead")
