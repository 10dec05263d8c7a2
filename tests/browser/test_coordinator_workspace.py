"""A coordinator signs in with two-factor, shortlists an application, books it an interview,
records it and offers a place, in a real Chromium; axe-core checks each page."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts.models import Cohort
from tenants.interviews import service as interviews
from tests.applications.helpers import create_cohort, onboard_trust
from tests.browser.conftest import check_accessibility, press
from tests.workspace.helpers import PASSWORD, make_application, make_coordinator, stage_of

pytestmark = pytest.mark.browser


def test_a_coordinator_shortlists_books_an_interview_and_offers_a_place(app, live_server,
                                                                        desktop_page):
    tenant = onboard_trust(app, "wsbrowser", "Workspace Browser NHS Trust")
    cohort = create_cohort(app, tenant, name="Autumn intake", capacity=2)
    application = make_application(app, tenant, cohort, name="Jo Applicant",
                                   disability_confident=True)
    with app.test_request_context(), tenant_context(tenant, app):
        row = db.session.get(Cohort, cohort)
        interviews.create_slots(db.session, row, days=[row.interview_week_of],
                                start=dt.time(10), end=dt.time(11), length_minutes=60,
                                place="Room 1", panel_ids=[], actor="test")
        db.session.commit()
    _, email, secret = make_coordinator(app, tenant, "lead")
    base = f"{live_server}/trusts/{tenant.slug}/coordinator"
    problems: list[str] = []
    page = desktop_page  # the session's one browser (tests/browser/conftest.py)
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "button", "Sign in")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    press(page, "button", "Continue")
    press(page, "link", "Applications")  # the header's navigation
    check_accessibility(page, problems)
    press(page, "link", "Applications to Autumn intake")
    assert page.get_by_text("Disability Confident").first.is_visible()
    check_accessibility(page, problems)

    page.locator(f"#select-{application}").check()
    page.get_by_label("Shortlist", exact=True).check()
    press(page, "button", "Apply to selected")
    assert page.locator("#bulk-result").get_by_text("1 application updated").is_visible()
    check_accessibility(page, problems)
    page.locator(f"#select-{application}").check()
    page.get_by_label("Invite to interview").check()
    press(page, "button", "Apply to selected")
    assert stage_of(app, tenant, application) == "interview_invited"

    press(page, "link", "Cohort dashboard")  # the breadcrumbs
    assert page.locator("#funnel-table").is_visible()
    check_accessibility(page, problems)
    with page.expect_navigation(wait_until="load"):  # the dashboard's, not the header's
        page.get_by_role("main").get_by_role("link", name="Interviews").click()
    check_accessibility(page, problems)
    page.get_by_label("Adjustments asked for (optional)").fill("A quiet room")
    press(page, "button", "Book the interview")
    assert stage_of(app, tenant, application) == "interview_booked"
    press(page, "link", page.locator("#slots a").first.inner_text())
    check_accessibility(page, problems)
    assert "A quiet room" in page.locator("#adjustments").inner_text()
    for radio in page.locator("input[type=radio][value='3']").all():
        radio.check()
    page.get_by_label("Recommend for a place").check()
    press(page, "button", "Save the interview record")
    assert stage_of(app, tenant, application) == "interviewed"

    page.goto(f"{base}/cohorts/{cohort}/places")
    check_accessibility(page, problems)
    press(page, "button", "Offer a place")
    assert "1 of 2 places offered" in page.locator("#places-summary").inner_text()
    check_accessibility(page, problems)
    page.goto(f"{base}/cohorts/{cohort}/applications/{application}")
    check_accessibility(page, problems)
    assert stage_of(app, tenant, application) == "place_offered"
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
