"""A trust with a cohort, a contact address and a signed-in lead for the builder's tests."""

from __future__ import annotations

import pytest

from tests.applications.helpers import create_cohort, csrf_from, onboard_trust
from tests.workspace.helpers import signed_in_client


def say_what_happens_next(app, trust) -> None:
    """The trust page's "what happens after you apply" block: the go-live checklist asks for it."""
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.trustpage.service import save_page

    with tenant_context(trust, app=app):
        save_page(db.session, {"after_applying": "We read every form and reply within two weeks."},
                  actor="test")
        db.session.commit()


@pytest.fixture
def trust(app):
    made = onboard_trust(app, "qb", "Builder NHS Trust", contact_email="psw@builder.example")
    say_what_happens_next(app, made)
    return made


@pytest.fixture
def cohort_id(app, trust):
    return create_cohort(app, trust)


@pytest.fixture
def lead(app, trust):
    return signed_in_client(app, trust, "lead")[0]


@pytest.fixture
def base(trust):
    return f"/trusts/{trust.slug}/coordinator/settings/eligibility/builder"


def post(client, url: str, data: dict | None = None, *, page: str):
    """POST with the CSRF token of the page the form is on."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_from(client.get(page))})
