"""Each application records the privacy notice version the applicant was shown when it was
sent: online and coordinator-entered EOIs, the application page, the subject access report."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tenants.privacy import service as notices
from tests.applications.helpers import create_cohort
from tests.dp_support import csrf_token, onboard_with_staff, signed_in_client
from tests.privacy.real_applicants import apply, new_canaries

ENTRY_ANSWERS = {"lived_experience.answer": "yes", "available_all_training_days.answer": "yes",
                 "willing_to_share_experience.answer": "yes"}


@pytest.fixture(scope="module")
def setting(app):
    """A trust with a cohort open for EOIs, and its lead coordinator signed in."""
    trust = onboard_with_staff(app, "pnv", display_name="Notice Version NHS Trust")
    return trust, create_cohort(app, trust), signed_in_client(app, trust, "lead")


def stored_version(app, trust, application_id: int) -> int | None:
    with tenant_context(trust, app):
        return db.session.get(Application, application_id).privacy_notice_version


def publish_new_notice(app, trust) -> int:
    with app.test_request_context(), tenant_context(trust, app):
        notice = notices.publish(db.session, "## Who we are\n" + "Our new words. " * 10,
                                 actor="trust:test:1")
        db.session.commit()
        return notice.version


def application_page(trust, cohort_id: int, application_id: int) -> str:
    return f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications/{application_id}"


def test_an_online_eoi_keeps_the_version_in_force_when_it_was_sent_not_a_later_one(
        app, setting):
    trust, cohort_id, lead = setting
    first_id, first_reference = apply(app, trust, cohort_id, new_canaries())
    assert stored_version(app, trust, first_id) == 1
    newer = publish_new_notice(app, trust)
    assert newer == 2
    second_id, _ = apply(app, trust, cohort_id, new_canaries())
    assert stored_version(app, trust, second_id) == newer
    assert stored_version(app, trust, first_id) == 1

    page = lead.get(application_page(trust, cohort_id, first_id)).get_data(as_text=True)
    assert "Privacy notice" in page and "version 1" in page
    page = lead.get(application_page(trust, cohort_id, second_id)).get_data(as_text=True)
    assert "version 2" in page

    report = lead.get(f"/trusts/{trust.slug}/coordinator/subject-access/{first_reference}.json")
    sent = json.loads(report.get_data(as_text=True))["sections"]["applications"]["applications"]
    assert [a["privacy_notice_version"] for a in sent] == [1]


def test_an_eoi_entered_by_a_coordinator_records_the_current_version(app, setting):
    trust, cohort_id, lead = setting
    current = publish_new_notice(app, trust)
    url = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications/new"
    response = lead.post(url, data={"name": "Pat Paper", "email": "pat.pnv@applicant.example",
                                    "channel": "paper", "consent": "yes", **ENTRY_ANSWERS,
                                    "csrf_token": csrf_token(lead, url)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with tenant_context(trust, app):
        application = db.session.scalars(select(Application).join(Applicant).where(
            Applicant.email == "pat.pnv@applicant.example")).one()
        assert application.privacy_notice_version == current
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert f"version {current}" in page

