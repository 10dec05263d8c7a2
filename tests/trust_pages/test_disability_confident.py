"""The trust page's Disability Confident status decides the interview guarantee that
shortlisting enforces (tenants.applications.service.is_disability_confident)."""

from __future__ import annotations

from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.applications.service import is_disability_confident
from tenants.trustpage import service
from tenants.workspace.queries import disability_confident_flag
from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import make_application


def _flagged(session) -> int:
    """Applications the coordinators' lists tag as Disability Confident."""
    return session.scalar(select(func.count()).select_from(Application).where(
        disability_confident_flag()))


def test_the_guarantee_holds_only_while_the_trust_says_it_is_disability_confident(app):
    trust = onboard_trust(app, "dc", "Disability Confident Test NHS Trust")
    cohort = create_cohort(app, trust, name="DC intake")
    applied = make_application(app, trust, cohort, disability_confident=True)
    with tenant_context(trust, app):
        application = db.session.get(Application, applied)
        assert is_disability_confident(application)  # a new trust is, until it says not
        assert _flagged(db.session) == 1
        service.save_page(db.session, {"disability_confident": False}, "test")
        db.session.commit()
        assert not is_disability_confident(application)
        assert _flagged(db.session) == 0
        service.save_page(db.session, {"disability_confident": True}, "test")
        db.session.commit()
        assert is_disability_confident(application)
