"""Trust-controlled text renders as text: a hostile string in every field a trust (or its
coordinators) can write shows up escaped on every page that shows it, never as markup.

The NHS.UK components are .jinja files, which Flask did not autoescape: a cohort named
`<meta http-equiv="refresh" ...>` redirected every visitor of the apply page, and a stored
`</textarea><script>` broke out of the drop-in edit form.
"""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from sqlalchemy import select

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import CrisisLine
from tenants.cohorts.models import Cohort, Course
from tenants.coordinators.service import create_coordinator
from tenants.eligibility.models import EligibilityVersion
from tenants.eligibility.service import save_version
from tenants.infosessions import service as dropins
from tenants.notifications import wording
from tests.applications.helpers import post_form, start_application
from tests.conftest import unique_slug
from tests.test_coordinator_sign_in import LEAD_SECRET, sign_in

HOSTILE = ('<meta http-equiv="refresh" content="0;url=https://evil.example">'
           '</textarea><script>alert(1)</script><a href="javascript:alert(2)">x</a>')
RAW_MARKERS = ('<meta http-equiv="refresh"', "<script>alert(1)", "</textarea><script",
               'href="javascript:')
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PASSWORD = "correct horse battery"

TODAY = dt.date.today()


def assert_shown_as_text(response, where: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 200, (where, response.status_code)
    for marker in RAW_MARKERS:
        assert marker not in body, f"{where}: {marker!r} printed raw"
    assert ESCAPED in body or "&lt;meta" in body, f"{where}: the hostile text is not shown"


@pytest.fixture(scope="module")
def hostile(app, database_url):
    """A trust whose every text field (name, course, cohort, drop-in, questions, rules,
    crisis lines, message template) holds the hostile string."""
    with app.app_context():
        tenant = trust_admin.onboard(slug=unique_slug("xss"), display_name="Hostile NHS Trust",
                                     actor="test")
    with psycopg.connect(database_url, autocommit=True) as owner:
        owner.execute("UPDATE platform.trusts SET display_name = %s WHERE slug = %s",
                      (HOSTILE, tenant.slug))
    with app.app_context(), tenant_context(tenant):
        course = db.session.scalars(select(Course).limit(1)).one()
        course.name, course.description, course.leads_to = HOSTILE, HOSTILE, HOSTILE
        cohort = Cohort(course_id=course.id, name=HOSTILE, capacity=12,
                        eoi_opens_on=TODAY - dt.timedelta(days=5),
                        eoi_closes_on=TODAY + dt.timedelta(days=20),
                        interview_week_of=TODAY + dt.timedelta(days=30),
                        starts_on=TODAY + dt.timedelta(days=60), posts_advertised=HOSTILE)
        db.session.add(cohort)
        dropin = dropins.save_session(db.session, {
            "title": HOSTILE, "on_date": TODAY + dt.timedelta(days=10),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": HOSTILE,
            "online_url": None, "capacity": 5, "access_notes": HOSTILE})
        version = db.session.scalars(select(EligibilityVersion).where(
            EligibilityVersion.published_at.is_not(None))).first()
        questions = [{**q, "label": HOSTILE, "hint": HOSTILE} for q in version.questions]
        rules = {**version.rule_set, "rules": [
            {**r, "reason": HOSTILE, "applicant_reason": HOSTILE}
            for r in version.rule_set.get("rules", [])]}
        # A live version never changes: the hostile words go live as a new version.
        version = save_version(db.session, questions, rules, note=HOSTILE, publish=True)
        db.session.add(CrisisLine(name=HOSTILE, phone="111", description=HOSTILE, position=0))
        wording.save_template(db.session, "magic_sign_in_link", "standard", {
            "subject": HOSTILE, "body_text": HOSTILE + " ((sign_in_link))",
            "body_html": f"<p>{HOSTILE}</p>"}, "test")
        create_coordinator(db.session, email="lead@xss.example", display_name=HOSTILE,
                           role="lead", password=PASSWORD, totp_secret=LEAD_SECRET)
        db.session.commit()
        ids = {"cohort": cohort.id, "course": course.id, "dropin": dropin.id,
               "version": version.id, "question": questions[0]["key"]}
    return tenant, ids


def test_applicant_pages_show_trust_text_as_text(app, hostile):
    tenant, ids = hostile
    base = f"/trusts/{tenant.slug}"
    client = app.test_client()
    for path in ("/", "/apply", f"/apply/{ids['cohort']}/your-details", "/eligibility-check",
                 "/help-in-a-crisis", "/easy-read", f"/drop-ins/{ids['dropin']}/book"):
        assert_shown_as_text(client.get(base + path), path)
    start_application(client, tenant, ids["cohort"], email="xss@applicant.example")
    step = client.get(f"{base}/apply/step/{ids['question']}")
    assert_shown_as_text(step, "first question")


def test_coordinator_pages_show_trust_text_as_text(app, hostile):
    tenant, ids = hostile
    client = app.test_client()
    assert sign_in(client, tenant, "lead@xss.example", PASSWORD).status_code == 302
    base = f"/trusts/{tenant.slug}/coordinator"
    for path in ("/", "/settings/drop-ins/", f"/settings/drop-ins/{ids['dropin']}",
                 f"/settings/drop-ins/{ids['dropin']}/edit", "/settings/courses",
                 f"/settings/courses/{ids['course']}", "/settings/cohorts",
                 f"/settings/cohorts/{ids['cohort']}", f"/settings/cohorts/{ids['cohort']}/edit",
                 f"/settings/eligibility/{ids['version']}", "/team/",
                 "/settings/templates/magic_sign_in_link/standard"):
        assert_shown_as_text(client.get(base + path), path)


def test_the_template_preview_and_the_sent_html_carry_no_script_or_form(app, hostile):
    tenant, _ = hostile
    with tenant_context(tenant, app):
        saved = wording.get_wording(db.session, "magic_sign_in_link", "standard")
        sent = wording.render(saved, {"sign_in_link": "https://x.example/s"})
    for html in (saved.body_html, sent["body_html"]):
        assert "<script" not in html and "javascript:" not in html and "<meta" not in html
    assert "alert(1)" not in sent["body_html"]  # the script's content goes with it
    cleaned = wording.render(wording.Wording(
        "magic_sign_in_link", "standard", "s", "t",
        '<form action="https://evil.example"><input name="p"></form><p>ok</p>', None), {})
    assert "<form" not in cleaned["body_html"] and "<input" not in cleaned["body_html"]


def test_a_form_posted_with_hostile_text_is_shown_back_escaped(app, hostile):
    tenant, ids = hostile
    client = app.test_client()
    response = post_form(client, f"/trusts/{tenant.slug}/drop-ins/{ids['dropin']}/book",
                         {"name": HOSTILE, "email": "not an email"})
    body = response.get_data(as_text=True)
    for marker in RAW_MARKERS:
        assert marker not in body
