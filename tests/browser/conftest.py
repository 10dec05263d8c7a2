"""Shared browser fixtures: one Chromium and one served app for the whole test session.

Use them in any browser test:

    def test_something(live_server, phone_page):   # or desktop_page, or browser.new_context
        phone_page.goto(f"{live_server}/")
        press(phone_page, "link", "Some link text")
        check_accessibility(phone_page, problems)

Fails (never skips) when Debian's chromium or axe-core is missing: the journeys'
accessibility is part of what the suite proves.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PEERPATH_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def press(page, role: str, name: str, *, exact: bool = False) -> None:
    """Click a visible button or link by its text and wait for the next page to load."""
    target = page.get_by_role(role, name=name, exact=exact).first
    assert target.is_visible(), f"no visible {role} named {name!r} on {page.url}"
    with page.expect_navigation(wait_until="load"):
        target.click()


def find_trust(page, name: str) -> None:
    """On the list of trusts (paged, with a search box once there are two or more trusts),
    search for a trust by name, as a person would, and open it."""
    search = page.get_by_label("Search by trust name or place")
    if search.count():
        search.fill(name)
        press(page, "button", "Search")
    press(page, "link", name)


def check_accessibility(page, problems: list[str]) -> None:
    """Run axe-core on the page; add each serious or critical violation to `problems`."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{page.url}: {violation['id']} ({violation['impact']}) {targets}")


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by a threaded development server on a free port, for the session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
                    "(apt-get install chromium) or set PEERPATH_CHROMIUM")
    assert AXE.is_file(), f"{AXE} is missing: run `make setup` (npm axe-core)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _page(browser, viewport):
    # The pages' CSP allows no inline script; axe is injected only for the test.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    return context, context.new_page()


@pytest.fixture
def phone_page(browser):
    """A fresh page (its own cookies) on a phone-sized screen."""
    context, page = _page(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()
