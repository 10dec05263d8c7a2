"""The workspace header, the settings index and breadcrumbs show each role the areas it may
use, and only those (tenants.workspace.navigation reads the permission table)."""

from __future__ import annotations

import re

import pytest

from peerpath.admin import accounts
from tests.admin.conftest import ADMIN_PASSWORD, new_admin_email, sign_in_admin
from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import make_application, make_coordinator, sign_in

EVERY_AREA = ["Applications", "EOIs to respond to", "Shortlisting", "Interviews", "Training",
              "Your interviews",
              "Outcomes and follow-ups", "Posts", "Drop-ins", "Messages", "Letters and calls",
              "Reports",
              "Settings", "Audit"]
# Written out by hand (not computed from the table), so loosening the table shows up here.
HEADER_BY_ROLE = {
    "lead": EVERY_AREA,
    "coordinator": [area for area in EVERY_AREA if area != "Audit"],
    "panel": ["Shortlisting", "Your interviews", "Drop-ins", "Settings"],
    "read_only": ["Applications", "EOIs to respond to", "Interviews", "Training",
                  "Your interviews",
                  "Outcomes and follow-ups", "Posts", "Drop-ins", "Reports", "Settings"],
}
EVERY_SETTING = ["Questions and eligibility rules", "Reasons for decisions",
                 "Conditions before training", "Response times and reply-by dates", "Courses",
                 "Cohorts and calendars",
                 "Drop-in information sessions", "Message templates",
                 "Email and text message providers", "Public trust page", "Crisis lines",
                 "Stories of past trainees", "Privacy notice", "Retention",
                 "Subject access requests", "Team", "API tokens"]
READ_SETTINGS = ["Questions and eligibility rules", "Reasons for decisions",
                 "Conditions before training", "Response times and reply-by dates", "Courses",
                 "Cohorts and calendars",
                 "Drop-in information sessions"]
SETTINGS_BY_ROLE = {
    "lead": EVERY_SETTING,
    "coordinator": [*READ_SETTINGS, "Message templates", "Subject access requests",
                    "API tokens"],
    "panel": [*READ_SETTINGS, "API tokens"],
    "read_only": [*READ_SETTINGS, "API tokens"],
}
CURRENT = re.compile(r'<a[^>]*aria-current="page"[^>]*>\s*<strong[^>]*>\s*([^<]+?)\s*<')
LINK = re.compile(r'<a[^>]*href="([^"]+)"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<')


def links_in(body: str, start: str) -> list[tuple[str, str]]:
    """(href, text) of the links in the element that opens with `start`, up to the end of
    its first list."""
    at = body.index(start)
    end = min(i for i in (body.find(tag, at) for tag in ("</nav>", "</ul>", "</ol>")) if i > 0)
    return LINK.findall(body[at:end])


def current_area(body: str) -> str | None:
    found = CURRENT.search(body)
    return found.group(1) if found else None


@pytest.fixture(scope="module")
def trust(app):
    tenant = onboard_trust(app, "nav", "Navigation NHS Trust")
    cohort = create_cohort(app, tenant, name="Nav intake")
    return tenant, cohort, make_application(app, tenant, cohort, name="Robin Nav")


def _client(app, tenant, role):
    client = app.test_client()
    _id, email, secret = make_coordinator(app, tenant, role)
    sign_in(client, tenant, email, secret)
    return client


@pytest.mark.parametrize("role", list(HEADER_BY_ROLE))
def test_the_header_and_settings_index_show_each_role_exactly_its_areas(app, trust, role):
    tenant, _cohort, _application = trust
    client = _client(app, tenant, role)
    home = client.get(f"/trusts/{tenant.slug}/coordinator/").get_data(as_text=True)
    header = links_in(home, 'aria-label="Workspace"')
    assert [text for _href, text in header] == HEADER_BY_ROLE[role]
    for href, text in header:
        assert client.get(href).status_code == 200, f"{role}: {text} ({href})"
    listed = links_in(home, 'id="workspace-areas"')
    assert [text for _href, text in listed] == HEADER_BY_ROLE[role]

    settings = client.get(f"/trusts/{tenant.slug}/coordinator/settings/")
    areas = links_in(settings.get_data(as_text=True), 'id="settings-areas"')
    assert [text for _href, text in areas] == SETTINGS_BY_ROLE[role]
    for href, text in areas:
        assert client.get(href).status_code == 200, f"{role}: {text} ({href})"


def test_a_detail_page_has_breadcrumbs_and_marks_its_area_current(app, trust):
    tenant, cohort, application = trust
    client = _client(app, tenant, "coordinator")
    base = f"/trusts/{tenant.slug}/coordinator"
    page = client.get(f"{base}/cohorts/{cohort}/applications/{application}")
    body = page.get_data(as_text=True)
    crumbs = links_in(body, 'class="nhsuk-breadcrumb"')
    assert crumbs == [(f"{base}/", "Workspace"), (f"{base}/cohorts/", "Cohorts"),
                      (f"{base}/cohorts/{cohort}/", "Cohort dashboard"),
                      (f"{base}/cohorts/{cohort}/applications", "Applications")]
    assert current_area(body) == "Applications"


def test_a_panel_member_s_breadcrumbs_skip_pages_they_may_not_open(app, trust):
    tenant, cohort, _application = trust
    client = _client(app, tenant, "panel")
    body = client.get(f"/trusts/{tenant.slug}/coordinator/cohorts/{cohort}/shortlisting")
    crumbs = links_in(body.get_data(as_text=True), 'class="nhsuk-breadcrumb"')
    assert [text for _href, text in crumbs] == ["Workspace"]


def test_the_console_header_lists_every_console_area_and_marks_the_current_one(app):
    client = app.test_client()
    email = new_admin_email()
    with app.app_context():
        admin = accounts.create_admin(email, ADMIN_PASSWORD)
        accounts.complete_enrolment(admin.id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    sign_in_admin(client, email, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    body = client.get("/admin/audit").get_data(as_text=True)
    header = links_in(body, 'aria-label="Console"')
    assert [text for _href, text in header] == ["Trusts and fleet", "Onboard a trust",
                                                "Audit log", "Admins", "API tokens"]
    assert current_area(body) == "Audit log"
