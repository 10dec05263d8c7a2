"""Demo data keeps its promise on any day `make run` is run: Leicestershire takes
applications and has drop-ins ahead; Norfolk and Suffolk is closed and says when it opens."""

from __future__ import annotations

import datetime as dt

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts import service as cohorts
from tenants.infosessions import service as infosessions
from tenants.public import demo
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
        assert len(cohorts.cohorts(db.session)) == 2  # the old one is kept


def test_seeding_leicestershire_twice_on_one_day_adds_nothing(app):
    tenant = _seed_as(app, "leicestershire", TODAY, TODAY)
    with tenant_context(tenant, app):
        assert len(cohorts.cohorts(db.session)) == 1
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
