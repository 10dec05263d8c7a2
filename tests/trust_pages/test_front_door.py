"""The applicant's front door: `/` lists the trusts and says who takes applications now, each
trust page leads to everything an applicant can do, and every applicant page shows the trust,
leads back to its page and offers "Help in a crisis" in the header and an accessibility
statement in the footer."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.infosessions import service as infosessions
from tests.applications.helpers import create_cohort, onboard_trust
from tests.config.test_public_page import text_of

TODAY = dt.date.today()


def full_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def header_of(response) -> str:
    body = response.get_data(as_text=True)
    match = re.search(r"<header[^>]*nhsuk-header.*?</header>", body, re.S)
    assert match, "every page has the NHS.UK header"
    return match.group(0)


def footer_of(response) -> str:
    body = response.get_data(as_text=True)
    match = re.search(r"<footer.*?</footer>", body, re.S)
    assert match, "every page has the NHS.UK footer"
    return match.group(0)


@pytest.fixture(scope="module")
def open_trust_and_drop_in(app):
    tenant = onboard_trust(app, "door", "Open Door NHS Trust",
                           contact_email="team@open-door.example")
    create_cohort(app, tenant, name="Winter intake", opens=-3, closes=30)
    with tenant_context(tenant, app):
        drop_in = infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": TODAY + dt.timedelta(days=9),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": "Room 2",
            "capacity": None, "access_notes": None})
        db.session.commit()
        return tenant, drop_in.id


@pytest.fixture(scope="module")
def drop_in_id(open_trust_and_drop_in):
    return open_trust_and_drop_in[1]


@pytest.fixture(scope="module")
def open_trust(open_trust_and_drop_in):
    return open_trust_and_drop_in[0]


@pytest.fixture(scope="module")
def closed_trust(app):
    tenant = onboard_trust(app, "shut", "Closed Door NHS Trust",
                           contact_phone="01632 960111")
    create_cohort(app, tenant, name="Summer intake", opens=40, closes=70, starts=120)
    return tenant


def test_an_open_trust_page_starts_an_application_with_a_green_button(client, open_trust):
    response = client.get(f"/trusts/{open_trust.slug}/")
    body = response.get_data(as_text=True)
    button = re.search(r'<a[^>]*class="nhsuk-button"[^>]*>\s*Apply now\s*</a>', body)
    assert button, "a green NHS.UK button (a link styled as the primary button)"
    assert f'href="/trusts/{open_trust.slug}/apply"' in button.group(0)
    closes = TODAY + dt.timedelta(days=30)
    assert f"Applications are open until {full_date(closes)}" in text_of(response)


def test_the_trust_page_links_to_everything_an_applicant_can_do(client, open_trust,
                                                                drop_in_id):
    body = client.get(f"/trusts/{open_trust.slug}/").get_data(as_text=True)
    base = f"/trusts/{open_trust.slug}"
    for href, words in ((f"{base}/eligibility-check", "Check if you can apply"),
                        (f"{base}/easy-read", "Easy Read"),
                        ("#drop-ins", "Book a drop-in"),
                        (f"{base}/account/sign-in", "Sign in to see your application"),
                        (f"{base}/drop-ins/{drop_in_id}/book", "Book a place")):
        assert re.search(rf'href="{re.escape(href)}"[^>]*>{re.escape(words)}', body), words


def test_a_closed_trust_page_says_when_applications_open_and_how_to_hear(client, closed_trust):
    response = client.get(f"/trusts/{closed_trust.slug}/")
    page = text_of(response)
    assert "Apply now" not in page
    opens = TODAY + dt.timedelta(days=40)
    assert f"Applications are closed at the moment. They open on {full_date(opens)} ." in page
    assert "To hear when applications open, contact the programme team and ask to be told" \
        in page
    assert "01632 960111" in page


def test_the_list_of_trusts_says_which_are_taking_applications_now(client, open_trust,
                                                                    closed_trust):
    # The suite's database holds many trusts and `/` is paged: find each by its name, as a
    # person would with the search box.
    page = text_of(client.get("/", query_string={"q": "Open Door NHS Trust"}))
    open_card = page[page.index("Open Door NHS Trust"):]
    assert open_card.split("NHS Trust", 2)[1].strip().startswith("Taking applications now")
    page = text_of(client.get("/", query_string={"q": "Closed Door NHS Trust"}))
    closed_card = page[page.index("Closed Door NHS Trust"):]
    assert "Not taking applications now" in closed_card[:200]
    assert f"Applications open on {full_date(TODAY + dt.timedelta(days=40))}" in closed_card
    assert re.search(r"\d+ of \d+ trusts are taking applications now", text_of(client.get("/")))


APPLICANT_PAGES = ("", "apply", "eligibility-check", "easy-read", "account/sign-in",
                   "help-in-a-crisis", "accessibility", "privacy")


def test_every_applicant_page_shows_the_trust_leads_home_and_offers_help_in_a_crisis(
        client, open_trust, drop_in_id):
    base = f"/trusts/{open_trust.slug}"
    pages = [f"{base}/{path}" for path in APPLICANT_PAGES]
    pages.append(f"{base}/drop-ins/{drop_in_id}/book")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        header = header_of(response)
        assert "Open Door NHS Trust" in header, url
        assert f'href="{base}/"' in header, f"{url}: the trust name leads to the trust page"
        account = header[header.index("nhsuk-header__account"):]
        assert f'href="{base}/help-in-a-crisis"' in account, f"{url}: crisis in the header"
        footer = footer_of(response)
        assert f'href="{base}/help-in-a-crisis"' in footer, url
        assert f'href="{base}/accessibility"' in footer, url
        assert 'href="#"' not in footer, url


def test_platform_pages_link_to_the_statement_and_crisis_help_outside_any_trust(client):
    for url in ("/", "/help-in-a-crisis", "/accessibility"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'href="/help-in-a-crisis"' in header_of(response), url
        assert 'href="/accessibility"' in footer_of(response), url


def test_the_accessibility_statement_is_written_as_nhs_services_publish_one(client,
                                                                           open_trust):
    for url, contact in (("/accessibility", None),
                         (f"/trusts/{open_trust.slug}/accessibility", "team@open-door.example")):
        page = text_of(client.get(url))
        assert "Accessibility statement for PeerPath" in page
        for part in ("How accessible this service is", "Feedback and contact information",
                     "Reporting accessibility problems with this service",
                     "Enforcement procedure", "Equality Advisory and Support Service",
                     "Web Content Accessibility Guidelines version 2.2 AA standard",
                     "How we tested this service", "Preparation of this accessibility statement",
                     "(No. 2) Accessibility Regulations 2018"):
            assert part in page, (url, part)
        assert (contact in page) if contact else ("their details are on the trust's page" in page)
