"""In a real Chromium: a coordinator enters a postal EOI from a paper form, sees that the
applicant will be reached by letter, then prints the letter from "Letters and calls" and
marks it as posted; axe-core checks each page (serious or critical problems fail)."""

from __future__ import annotations

import pyotp
import pytest

from tests.applications.helpers import create_cohort, onboard_trust
from tests.browser.conftest import check_accessibility, press
from tests.workspace.helpers import PASSWORD, make_coordinator

pytestmark = pytest.mark.browser


def test_a_coordinator_enters_a_paper_eoi_and_posts_its_letter_in_a_browser(
        app, live_server, desktop_page):
    tenant = onboard_trust(app, "letterbrowser", "Letter Browser NHS Trust")
    create_cohort(app, tenant, name="Paper intake")
    _, email, secret = make_coordinator(app, tenant, "lead")
    base = f"{live_server}/trusts/{tenant.slug}/coordinator"
    problems: list[str] = []
    page = desktop_page
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "button", "Sign in")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    press(page, "button", "Continue")
    press(page, "link", "Letters and calls")
    check_accessibility(page, problems)
    page.get_by_label("Address printed at the top of letters").fill(
        "Peer Support Team\nCounty Hall\nLE3 8RA")
    press(page, "button", "Save the address")
    assert "address for letters was saved" in page.content()

    page.goto(f"{base}/")  # the workspace home (its navigation is another change)
    press(page, "link", "Applications")  # the header navigation
    press(page, "link", "Applications to Paper intake")
    press(page, "link", "Enter a paper, email or phone EOI")
    check_accessibility(page, problems)
    press(page, "button", "Send the EOI")
    assert page.title().startswith("Error: ")
    check_accessibility(page, problems)
    page.get_by_label("Full name").fill("Lee Letter")
    page.get_by_label("Postal address (optional)").fill("12 High Street\nLeicester\nLE1 1AA")
    page.get_by_label("On paper").check()
    for question in ("lived_experience", "available_all_training_days",
                     "willing_to_share_experience"):
        page.locator(f"input[name='{question}.answer'][value='yes']").check()
    page.get_by_label("The applicant agreed to me entering their EOI").check()
    press(page, "button", "Send the EOI")
    assert page.locator("#reached-by").inner_text() == "Letter"
    check_accessibility(page, problems)

    page.goto(f"{base}/")
    press(page, "link", "Letters and calls")
    press(page, "link", "Expression of interest received")
    letter = page.locator("#letter").inner_text()
    assert "County Hall" in letter and "LE1 1AA" in letter and "Lee Letter" in letter
    check_accessibility(page, problems)
    press(page, "button", "Mark as posted")
    assert "The letter is marked as posted." in page.content()
    assert "There are no letters to print." in page.content()
    check_accessibility(page, problems)
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
