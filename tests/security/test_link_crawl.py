"""Every page a person may use is reachable by links from their home, and no link is broken.

For each coordinator role and for platform admins: sign in, start at the home page and
follow every same-site link (breadth first). Every GET page that the permission table
(tenants.coordinators.permissions, read from each page's guard) lets the role open must be
among those reached, apart from the short allow-list below, and no link may lead to a 4xx
or 5xx.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from peerpath.admin import accounts
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.coordinators.models import ROLES
from tenants.coordinators.permissions import permits
from tenants.infosessions import service as infosessions
from tenants.interviews import service as interviews
from tests.admin.conftest import ADMIN_PASSWORD, new_admin_email, sign_in_admin
from tests.applications.helpers import create_cohort, onboard_trust
from tests.security.test_every_route import PUBLIC_COORDINATOR_ENDPOINTS
from tests.workspace.helpers import make_application, make_coordinator, sign_in

# Pages no link leads to, on purpose; each says how a person gets there instead.
NOT_LINKED = {
    # The result of the subject-access search form (a POST), not of a link.
    "subject_access.report": "reached by searching on the subject access page",
    "subject_access.report_json": "linked from the subject access report",
    "subject_access.erase": "linked from the subject access report",
    # One letter, linked from "Letters and calls" once a letter is due (none is, here).
    "letters.letter": "linked from the Letters and calls page when a letter is due",
    # Recording a follow-up heard on the phone, linked from each follow-up due (none is).
    "training.follow_up_call": "linked from Follow-ups due when a follow-up is due",
    # Admin pages that exist only once someone acts: an onboarding run follows the
    # onboarding form, an export download follows the export button.
    "admin.onboarding_run": "the page the onboarding form leads to",
    "admin.download_export": "the file the export button leads to",
    # The question builder's editing pages exist once a draft is started (a POST button on
    # the builder page, which the versions page links); branches need a one-choice question.
    "eligibility_settings.builder_page": "linked from the builder page once a draft exists",
    "eligibility_settings.builder_rules": "linked from the builder page once a draft exists",
    "eligibility_settings.builder_routes": "linked from a one-choice question in a draft",
    "eligibility_settings.builder_preview": "linked from the builder page once a draft exists "
                                            "(tests/builder/test_preview.py follows it)",
}
HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
MAX_PAGES = 2000
PER_ENDPOINT = 5


def links_on(body: str, here: str) -> list[str]:
    found = []
    for href in HREF.findall(body):
        href = urldefrag(unescape(href))[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href:
            continue  # another site (or a bare fragment)
        if not href.startswith("/"):
            href = here.rsplit("/", 1)[0] + "/" + href
        found.append(href)
    return found


def crawl(app, client, start: str, within: str) -> tuple[set[str], list[str]]:
    """(endpoints reached, broken links) from `start`, following every same-site link under
    `within` (links elsewhere on the site are opened, not followed further).

    At most PER_ENDPOINT different URLs of one page are opened (the same page for many
    trusts, sort orders, filters): enough to catch a broken link builder, and the crawl
    stays the same size however many trusts the test database holds.
    """
    adapter = app.url_map.bind("localhost")
    queue, seen, reached, broken = deque([(start, "the start")]), {start}, set(), []
    per_endpoint: dict[str, int] = {}
    while queue:
        url, source = queue.popleft()
        path = urlsplit(url).path
        try:
            endpoint = adapter.match(path, method="GET")[0]
        except HTTPException:
            endpoint = path
        per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
        if per_endpoint[endpoint] > PER_ENDPOINT:
            continue
        response = client.get(url)
        if response.status_code >= 400:
            broken.append(f"{url} ({response.status_code}), linked from {source}")
            continue
        reached.add(endpoint)
        if not path.startswith(within):
            continue
        targets = [response.headers["Location"]] if 300 <= response.status_code < 400 else \
            links_on(response.get_data(as_text=True), path) \
            if response.mimetype == "text/html" else []
        for target in targets:
            target = urlsplit(target)._replace(scheme="", netloc="").geturl()
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append((target, url))
        assert len(seen) <= MAX_PAGES, "the crawl does not end: too many distinct links"
    return reached, broken


def usable_coordinator_pages(app, role: str) -> set[str]:
    pages = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "GET" in rule.methods and "/coordinator/" in rule.rule and \
                not rule.rule.startswith("/api/") and \
                rule.endpoint not in PUBLIC_COORDINATOR_ENDPOINTS and \
                permits(role, view.permission):
            pages.add(rule.endpoint)
    return pages


@pytest.fixture(scope="module")
def programme(app):
    """A trust with something on every detail page: a cohort with a training day, an
    application booked for an interview (with the panel member on its panel), a drop-in."""
    tenant = onboard_trust(app, "crawl", "Crawl NHS Trust")
    cohort_id = create_cohort(app, tenant, name="Crawl intake")
    staff = {role: make_coordinator(app, tenant, role) for role in ROLES}
    application_id = make_application(app, tenant, cohort_id, stage="interview_invited",
                                      name="Sam Crawl")
    make_application(app, tenant, cohort_id, stage="eligibility_checked", name="Ali Crawl")
    with app.test_request_context(), tenant_context(tenant, app):
        cohort = db.session.get(Cohort, cohort_id)
        slots = interviews.create_slots(
            db.session, cohort, days=[cohort.interview_week_of], start=dt.time(10),
            end=dt.time(11), length_minutes=60, place="Room 1",
            panel_ids=[staff["panel"][0], staff["lead"][0]], actor="test")
        interviews.book(db.session, db.session.get(Application, application_id), slots[0].id,
                        actor="test")
        cohorts.add_training_day(db.session, cohort, {
            "on_date": cohort.starts_on, "starts_at": dt.time(10), "ends_at": dt.time(15),
            "place": "Training room", "kind": "classroom"})
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": dt.date.today() + dt.timedelta(days=10),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": "Ward 1",
            "online_url": None, "capacity": 5, "access_notes": None})
        db.session.commit()
    return tenant, staff


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_use_is_linked_from_its_home_and_no_link_is_broken(
        app, programme, role):
    tenant, staff = programme
    client = app.test_client()
    _id, email, secret = staff[role]
    sign_in(client, tenant, email, secret)
    reached, broken = crawl(app, client, f"/trusts/{tenant.slug}/coordinator/",
                             within=f"/trusts/{tenant.slug}/")
    assert not broken, "broken links:\n" + "\n".join(broken)
    missing = usable_coordinator_pages(app, role) - reached - set(NOT_LINKED)
    assert not missing, f"{role} may use these pages but no link leads there: {missing}"


def test_every_console_page_is_linked_from_the_admin_home_and_no_link_is_broken(
        app, programme):
    client = app.test_client()
    email = new_admin_email()
    with app.app_context():
        admin = accounts.create_admin(email, ADMIN_PASSWORD)
        accounts.complete_enrolment(admin.id, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    sign_in_admin(client, email, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    reached, broken = crawl(app, client, "/admin/", within="/admin/")
    assert not broken, "broken links:\n" + "\n".join(broken)
    console = {rule.endpoint for rule in app.url_map.iter_rules()
               if rule.rule.startswith("/admin/") and "GET" in rule.methods
               and not rule.rule.startswith("/admin/sign-in")}
    missing = console - reached - set(NOT_LINKED)
    assert not missing, f"console pages no link leads to: {missing}"
