"""Demo data keeps its promise on any day `make run` is run: Leicestershire takes
applications and has drop-ins ahead; Norfolk and Suffolk is closed and says when it opens."""

from __future__ import annotations

import datetime as dt

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts import service as cohorts
from tenants.infosessions import service as infosessions
from tenants.public import demo
from tenants.trustpage import service as trust_page
from tests.applications.helpers import onboard_trust

TODAY = dt.date.today()


def _seed_as(app, slug: str, *days: dt.date):
    """A fresh trust seeded with `slug`'s demo data on each of `days` in turn."""
    tenant = onboard_trust(app, "demo", f"Demo {slug} NHS Trust")
    seeded_as = tenant.__class__(**{**tenant.__dict__, "slug": slug})
    for day in days:
        with tenant_context(tenant, app):
            demo.seed_configuration(db.session, seeded_as, today=day)
            db.session.commit()
    return tenant


def test_leicestershire_seeded_months_ago_is_open_today_with_drop_ins_ahead(app):
    tenant = _seed_as(app, "leicestershire", TODAY - dt.timedelta(days=200), TODAY)
    with tenant_context(tenant, app):
        assert cohorts.open_cohort(db.session, TODAY) is not None
        ahead = infosessions.upcoming(db.session, TODAY)
        assert len(ahead) == 2 and all(s.on_date > TODAY for s in ahead)
        # The June history cohort of the trust's page, the old one (kept) and today's.
        assert len(cohorts.cohorts(db.session)) == 3


def test_seeding_leicestershire_twice_on_one_day_adds_nothing(app):
    tenant = _seed_as(app, "leicestershire", TODAY, TODAY)
    with tenant_context(tenant, app):
        assert len(cohorts.cohorts(db.session)) == 2  # the June history cohort, and today's
        assert len(infosessions.upcoming(db.session, TODAY)) == 2


def test_norfolk_and_suffolk_is_closed_and_opens_later_whatever_the_day(app, client):
    for day in (dt.date(TODAY.year, 1, 15), dt.date(TODAY.year, 7, 31),
                dt.date(TODAY.year, 8, 1), dt.date(TODAY.year, 12, 30)):
        tenant = _seed_as(app, "norfolk-suffolk", day)
        with tenant_context(tenant, app):
            assert cohorts.open_cohort(db.session, day) is None, day
            upcoming = cohorts.next_cohort(db.session, day)
            assert upcoming is not None and upcoming.eoi_opens_on > day, day
    tenant = _seed_as(app, "norfolk-suffolk", TODAY - dt.timedelta(days=400), TODAY)
    with tenant_context(tenant, app):
        assert cohorts.next_cohort(db.session, TODAY).eoi_opens_on > TODAY
    assert "They open on" in client.get(f"/trusts/{tenant.slug}/").get_data(as_text=True)


def test_leicestershire_s_page_has_its_june_cohort_limited_places_and_paper_forms(app, client):
    tenant = _seed_as(app, "leicestershire", TODAY)
    with tenant_context(tenant, app):
        page = trust_page.page(db.session)
        assert page.places_limited and page.course_is_free and page.disability_confident
        assert "Example Road" in page.postal_address  # an example address, not the real one
        assert page.postal_deadline == cohorts.open_cohort(db.session, TODAY).eoi_closes_on
        assert "one-to-one informal interview" in page.after_applying
        assert [c.starts_on.month for c in cohorts.cohorts(db.session)][-1] == 6
    home = client.get(f"/trusts/{tenant.slug}/").get_data(as_text=True)
    assert "Places are limited." in home and "Our first programme started in June" in home
    assert "Paper forms must reach us by" in home


def test_norfolk_and_suffolk_s_second_programme_and_its_case_study(app, client):
    tenant = _seed_as(app, "norfolk-suffolk", TODAY)
    with tenant_context(tenant, app):
        upcoming = cohorts.next_cohort(db.session, TODAY)
        assert upcoming.starts_on.month == 11 and upcoming.starts_on > TODAY
        assert upcoming.shortlisting_week_of.month == 10
        assert 7 <= upcoming.shortlisting_week_of.day <= 13
        assert upcoming.interview_week_of - upcoming.shortlisting_week_of == dt.timedelta(14)
        assert upcoming.posts_advertised == "Early next year"
        (story,) = trust_page.shown_stories(db.session)
        assert "Brigitte" not in story.body and "Peer Support Worker" in story.role_title
        assert story.consent_given_on <= TODAY
    home = client.get(f"/trusts/{tenant.slug}/").get_data(as_text=True)
    assert "Our second programme starts in November" in home
    assert "Stories from past trainees" in home and "primary school teacher" in home
