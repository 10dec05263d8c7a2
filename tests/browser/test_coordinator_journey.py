"""A lead coordinator's whole journey in a real Chromium, moving only by the links and
buttons on the page and filling fields found by their labels: sign in with two-factor ->
the application -> shortlisting -> interview -> offer -> training register -> outcome ->
report; then every settings area, each opened from the navigation. axe-core checks every
page visited (serious and critical problems: none)."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.interviews import service as interviews
from tenants.workspace.navigation import SETTINGS
from tests.applications.helpers import create_cohort, onboard_trust
from tests.browser.conftest import check_accessibility
from tests.workspace.helpers import PASSWORD, make_application, make_coordinator, stage_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def programme(app):
    """What exists before the journey: a trust, a cohort with interview times and a training
    day, and one application waiting for shortlisting."""
    tenant = onboard_trust(app, "journey", "Journey NHS Trust")
    cohort_id = create_cohort(app, tenant, name="Autumn intake", capacity=2)
    application_id = make_application(app, tenant, cohort_id, name="Jo Applicant")
    with app.test_request_context(), tenant_context(tenant, app):
        cohort = db.session.get(Cohort, cohort_id)
        interviews.create_slots(db.session, cohort, days=[cohort.interview_week_of],
                                start=dt.time(10), end=dt.time(11), length_minutes=60,
                                place="Room 1", panel_ids=[], actor="test")
        cohorts.add_training_day(db.session, cohort, {
            "on_date": cohort.starts_on, "starts_at": dt.time(10), "ends_at": dt.time(15),
            "place": "Training room", "kind": "classroom"})
        # The journey runs in one sitting: its one training day is today, so training can
        # start, its register be kept and completion recorded (tenants.cohorts.gates).
        cohort.days[0].on_date = dt.date.today()
        db.session.commit()
    return tenant, application_id


class Journey:
    """A page that checks its accessibility after every move."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []

    def check(self) -> None:
        assert not self.page.title().startswith("Error"), self.page.url
        check_accessibility(self.page, self.problems)

    def press(self, role: str, name: str, *, exact: bool = False) -> None:
        with self.page.expect_navigation(wait_until="load"):
            self.page.get_by_role(role, name=name, exact=exact).first.click()
        self.check()

    def open_area(self, area: str) -> None:
        """Press an area in the header's navigation (the Workspace menu), opening its "More"
        menu first when the area did not fit on the bar."""
        menu = self.page.get_by_role("navigation", name="Workspace")
        link = menu.get_by_role("link", name=area, exact=True)
        if not link.is_visible():
            menu.get_by_role("button", name=re.compile("More")).click()
        self.press_in(menu, area)

    def press_in(self, region, name: str) -> None:
        with self.page.expect_navigation(wait_until="load"):
            region.get_by_role("link", name=name, exact=True).click()
        self.check()


def test_a_lead_takes_an_application_from_shortlisting_to_an_outcome_by_links_alone(
        app, live_server, desktop_page, programme):
    tenant, application = programme
    _id, email, secret = make_coordinator(app, tenant, "lead")
    me = Journey(desktop_page)
    page = me.page
    page.goto(f"{live_server}/trusts/{tenant.slug}/coordinator/sign-in")  # front door
    me.check()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    me.press("button", "Sign in")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    me.press("button", "Continue")

    me.open_area("Applications")
    me.press("link", "Applications to Autumn intake")
    me.press("link", "Jo Applicant")
    assert page.get_by_role("navigation", name="Breadcrumb").is_visible()

    me.open_area("Shortlisting")
    me.press("link", "Autumn intake (shortlisting)")
    me.press_in(page.locator("#side-by-side"), page.locator("#side-by-side a").first
                .inner_text())
    page.get_by_label("Shortlist", exact=True).check()
    me.press("button", "Save my recommendation")
    page.get_by_label(re.compile("^Decision")).select_option(label="Shortlist")
    # Applications are still open: a lead may finalise early, with a reason.
    page.get_by_label("Reason for making the shortlist final before applications close") \
        .fill("The panel is only free this week")
    me.press("button", "Make the shortlist final")
    assert stage_of(app, tenant, application) == "shortlisted"

    me.open_area("Applications")
    me.press("link", "Applications to Autumn intake")
    page.get_by_label(re.compile("^Select ")).first.check()
    page.get_by_label("Invite to interview").check()
    me.press("button", "Apply to selected")
    assert stage_of(app, tenant, application) == "interview_invited"

    me.open_area("Interviews")
    me.press("link", "Autumn intake (interviews)")
    page.get_by_label("Adjustments asked for (optional)").fill("A quiet room")
    me.press("button", "Book the interview")
    assert stage_of(app, tenant, application) == "interview_booked"
    me.press_in(page.locator("#slots"), page.locator("#slots a").first.inner_text())
    for radio in page.get_by_label("3", exact=True).all():
        radio.check()
    page.get_by_label("Recommend for a place").check()
    me.press("button", "Save the interview record")
    assert stage_of(app, tenant, application) == "interviewed"

    me.open_area("Training")
    me.press("link", "Autumn intake (training)")
    me.press("button", "Offer a place")
    assert stage_of(app, tenant, application) == "place_offered"
    me.press("button", "Accepted")
    # The place's conditions come first: the places page says who cannot start yet, and
    # each condition is recorded as met on the application page it links to.
    me.press_in(page.locator("#held-back"), "Jo Applicant")
    for label in ("DBS check", "Occupational health clearance", "Two references",
                  "Right to work in the UK"):
        page.get_by_label(f"{label} is").select_option("met")
        me.press("button", f"Save {label}")
    assert page.locator("#conditions-unmet").count() == 0
    me.open_area("Training")
    me.press("link", "Autumn intake (training)")
    me.press("button", "Start training for everyone who accepted")
    assert stage_of(app, tenant, application) == "in_training"
    me.press_in(page.get_by_role("main"), page.locator("main a[href*='/training/days/']")
                .first.inner_text())
    page.get_by_label("Present").first.check()
    me.press("button", "Save the register")
    me.press_in(page.get_by_role("navigation", name="Breadcrumb"), "Places and training")
    me.press("button", "Mark complete")
    assert stage_of(app, tenant, application) == "completed"
    page.get_by_label("Outcome", exact=True).select_option(label="Paid peer support "
                                                                 "worker post")
    me.press("button", "Save the outcome")
    assert stage_of(app, tenant, application) == "outcome_recorded"

    me.open_area("Outcomes and follow-ups")
    me.open_area("Reports")
    me.press("link", "choose a cohort")  # the programme's reports lead to each cohort's own
    me.press("link", "Autumn intake (reports)")
    assert page.locator("#funnel-table").is_visible()

    for area in SETTINGS:
        me.open_area("Settings")
        me.press_in(page.locator("#settings-areas"), area.text)
    assert not me.problems, "axe-core found serious or critical problems:\n" + \
        "\n".join(me.problems)
