"""A real Chromium completes an application on a phone-sized screen; axe-core checks each page.

Fails (never skips) when Debian's chromium is missing: the journey's accessibility is part
of what the suite proves.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.applications.helpers import create_cohort, onboard_trust

CHROMIUM = os.environ.get("PEERPATH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def press(page, role: str, name: str) -> None:
    """Click a button or link and wait for the next page to load."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role(role, name=name).first.click()


def check_accessibility(page, problems: list[str]) -> None:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']}) {targets}")


def test_an_applicant_completes_an_application_on_a_phone(app, live_server):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
                    "(apt-get install chromium) or set PEERPATH_CHROMIUM")
    assert AXE.is_file(), f"{AXE} is missing: run `make setup` (npm axe-core)"
    from playwright.sync_api import sync_playwright

    tenant = onboard_trust(app, "browser", "Browser NHS Trust",
                           contact_email="team@browser.example")
    create_cohort(app, tenant, name="Phone intake")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # The pages' CSP allows no inline script; axe is injected only for the test.
        context = browser.new_context(viewport={"width": 375, "height": 812}, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{live_server}/")
        check_accessibility(page, problems)
        page.goto(f"{live_server}/trusts/{tenant.slug}/apply")
        check_accessibility(page, problems)
        press(page, "link", "Start your application for Phone intake")
        check_accessibility(page, problems)  # the privacy notice, shown before the form
        press(page, "button", "Continue")

        page.get_by_label("Full name").fill("Jo Example")
        page.get_by_label("Email address").fill("jo@applicant.example")
        check_accessibility(page, problems)
        press(page, "button", "Continue")

        press(page, "button", "Save and continue")  # nothing chosen
        assert page.title().startswith("Error: ")
        assert page.get_by_text("There is a problem").is_visible()
        check_accessibility(page, problems)
        for _ in range(3):  # the three starting questions: answer Yes
            page.get_by_label("Yes", exact=True).check()
            check_accessibility(page, problems)
            press(page, "button", "Save and continue")
        page.get_by_label("Yes", exact=True).check()  # Disability Confident
        check_accessibility(page, problems)
        press(page, "button", "Save and continue")
        page.get_by_label("Easy Read").check()
        check_accessibility(page, problems)
        press(page, "button", "Save and continue")
        check_accessibility(page, problems)  # equality monitoring, all optional
        press(page, "button", "Save and continue")

        assert "Check your answers" in page.title()
        check_accessibility(page, problems)
        press(page, "button", "Send application")
        assert page.get_by_text("Application sent").first.is_visible()
        reference = page.locator(".nhsuk-panel strong").inner_text()
        assert reference.startswith("PSW-")
        check_accessibility(page, problems)
        press(page, "link", "Read this page in Easy Read")
        assert reference in page.content()
        check_accessibility(page, problems)
        press(page, "link", "Help in a crisis")
        assert "116 123" in page.content()
        check_accessibility(page, problems)
        width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert width <= 375, "no sideways scrolling on a phone"
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)
