"""The trust's public page, built from the demo configuration of each demo trust."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts import service as cohorts
from tenants.public import demo
from tests.conftest import unique_slug


def text_of(response) -> str:
    body = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def demo_trusts(app):
    made = {}
    for name, seed in demo.DEMO_SEEDS.items():
        with app.app_context():
            tenant = trust_admin.onboard(slug=unique_slug("pub"), display_name=f"{name} NHS",
                                         actor="test")
        with app.app_context(), tenant_context(tenant):
            seed(db.session, dt.date.today())
            db.session.commit()
        made[name] = tenant
    return made


def test_leicestershire_shows_its_course_rules_open_window_and_drop_ins(client, demo_trusts):
    tenant = demo_trusts["leicestershire"]
    page = text_of(client.get(f"/trusts/{tenant.slug}/"))
    assert "What is a peer support worker?" in page
    assert "10 weeks" in page and "10 days" in page
    assert "secondary mental health services" in page and "want to work as a peer worker" in page
    assert "Applications are open until" in page
    assert page.count("Wakerley Ward, Evington Centre, Leicester General Site") >= 3
    assert "8am to 4pm" in page and "8am to midday" in page  # NHS style times
    assert "Book a place" in page


def test_norfolk_and_suffolk_shows_a_free_twelve_week_sixteen_day_mixed_course(client,
                                                                               demo_trusts,
                                                                               app):
    tenant = demo_trusts["norfolk-suffolk"]
    page = text_of(client.get(f"/trusts/{tenant.slug}/"))
    assert "12 weeks" in page and "16 days" in page
    assert "A mix of classroom learning and work-based placements" in page
    assert "Applications open on" in page and "November" in page
    with app.app_context(), tenant_context(tenant):
        cohort = cohorts.next_cohort(db.session, dt.date.today())
        assert len(cohort.days) == 16 and {d.kind for d in cohort.days} == {"classroom",
                                                                          "placement"}
        assert cohort.interview_week_of - cohort.shortlisting_week_of == dt.timedelta(weeks=2)
        assert cohort.starts_on.month == 11 and cohort.eoi_opens_on > dt.date.today()
    ics = client.get(f"/trusts/{tenant.slug}/cohorts/{cohort.id}/key-dates.ics")
    assert ics.mimetype == "text/calendar" and b"Interview week" in ics.data


def test_a_trust_with_no_cohort_says_so_kindly(client, make_trust):
    tenant = make_trust()
    page = text_of(client.get(f"/trusts/{tenant.slug}/"))
    assert "There is no training cohort open at the moment" in page
    assert "There are no drop-in sessions planned at the moment" in page
    assert "12 weeks" in page  # the default course from onboarding


def test_the_demo_seed_runs_twice_without_duplicating_anything(app, demo_trusts):
    tenant = demo_trusts["leicestershire"]
    with app.app_context(), tenant_context(tenant):
        before = len(cohorts.cohorts(db.session))
        seeded = tenant.__class__(**{**tenant.__dict__, "slug": "leicestershire"})
        demo.seed_configuration(db.session, seeded)
        assert len(cohorts.cohorts(db.session)) == before
        db.session.rollback()


def test_leicestershire_promises_a_reply_to_every_eoi_and_its_team_is_held_to_it(
        client, demo_trusts, app):
    """Its source page: "All received EOI forms will be responded to"; the demo trust says so,
    and its response time is set, so the team's list and chaser hold it to the promise."""
    from tenants.applications import timings
    from tenants.applications.models import DeadlineSettings

    tenant = demo_trusts["leicestershire"]
    page = text_of(client.get(f"/trusts/{tenant.slug}/"))
    assert "All received EOI forms will be responded to" in page
    assert "within 10 working days" in page
    with app.app_context(), tenant_context(tenant):
        assert db.session.get(DeadlineSettings, 1) is not None
        assert timings.eoi_response_days(db.session) == 10
