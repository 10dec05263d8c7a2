"""A platform admin's journey in a real Chromium, by links and buttons alone: /admin/ ->
sign in with two-factor -> onboard a trust -> its public page is live -> suspend -> resume
-> Admins: add an admin, then deactivate them.
axe-core checks every page visited (serious and critical problems: none)."""

from __future__ import annotations

import pyotp
import pytest

from peerpath.admin import accounts
from tests.admin.conftest import ADMIN_PASSWORD, new_admin_email
from tests.admin.test_console_onboarding import _work as run_background_jobs
from tests.browser.conftest import check_accessibility
from tests.conftest import unique_slug

pytestmark = pytest.mark.browser


def test_an_admin_onboards_a_trust_sees_it_live_then_suspends_and_resumes_it(
        app, live_server, desktop_page):
    from playwright.sync_api import expect

    email, secret = new_admin_email(), pyotp.random_base32()
    with app.app_context():
        accounts.complete_enrolment(accounts.create_admin(email, ADMIN_PASSWORD).id, secret)
    for key in app.extensions["redis"].scan_iter("peerpath:totp-step:platform:*"):
        app.extensions["redis"].delete(key)  # admin ids restart with each test database
    slug = unique_slug("console")
    problems: list[str] = []
    page = desktop_page

    def press(role: str, name: str, within=None) -> None:
        with page.expect_navigation(wait_until="load"):
            (within or page).get_by_role(role, name=name, exact=True).first.click()
        check_accessibility(page, problems)

    page.goto(f"{live_server}/admin/")  # the front door: it asks for sign-in
    check_accessibility(page, problems)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    press("button", "Continue")
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    press("button", "Sign in")

    console = page.get_by_role("navigation", name="Console")
    press("link", "Onboard a trust", within=console)
    page.get_by_label("Trust's full name").fill("Journey Console NHS Trust")
    page.get_by_label("Short name").fill(slug)
    page.get_by_label("First lead coordinator's email").fill("lead@console.example")
    press("button", "Onboard trust")
    run_background_jobs(app)  # the platform's worker picks the onboarding up
    press("link", "Check progress")
    expect(page.get_by_text("Trust onboarded")).to_be_visible()

    press("link", "View Journey Console NHS Trust")
    press("link", "Open the trust's public page")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey Console NHS Trust")
    page.go_back()  # the browser's Back button
    press("button", "Suspend trust")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suspend")  # asks first
    expect(page.locator("#consequences")).to_contain_text("Nothing is deleted")
    press("button", "Yes, suspend the trust")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Suspended")
    assert page.get_by_role("link", name="Open the trust's public page").count() == 0
    press("button", "Resume trust")
    expect(page.locator(".nhsuk-summary-list")).to_contain_text("Active")
    press("link", "Open the trust's public page")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Journey Console NHS Trust")

    page.go_back()
    press("link", "Admins", within=page.get_by_role("navigation", name="Console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Admins")
    colleague = new_admin_email()
    page.get_by_label("Email address").fill(colleague)
    press("button", "Add admin")
    expect(page.locator("#new-admin-password")).not_to_be_empty()  # shown once, here
    row = page.get_by_role("row").filter(has_text=colleague)
    expect(row).to_contain_text("Not set up yet")
    press("button", f"Deactivate {colleague}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Deactivate {colleague}?")
    press("button", "Yes, deactivate this admin")
    expect(page.get_by_role("row").filter(has_text=colleague)).to_contain_text("Deactivated")
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("This is you")
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
