"""The list of trusts on `/` stays true on every path that changes what it shows: a cohort
made or changed, a course's places, a drop-in made or moved, a trust suspended and
resumed; a trust page's blocks are not on `/` and leave its summary alone. A daily job
rewrites every summary from the trust's schema, so drift lasts a day at most."""

from __future__ import annotations

import datetime as dt
import secrets

from rq import Queue, Worker
from rq.job import Job
from sqlalchemy import select

from peerpath import trust_admin, trust_summary
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort, Course
from tenants.infosessions import service as infosessions
from tenants.infosessions.models import InfoSession
from tenants.trustpage import service as trust_page
from tests.applications.helpers import create_cohort, onboard_trust
from tests.perf.test_trust_list import add_drop_in, summary_of
from worker import summaries
from worker.main import SUMMARIES_CRON, register_periodic_jobs

TODAY = dt.date.today()


def listed(app, tenant, query: str = "") -> list[str]:
    with app.app_context():
        return [e["tenant"].slug for e in trust_summary.list_trusts(query, per_page=100).entries]


def test_a_changed_cohort_is_in_the_summary_at_once(app, owner_conn):
    tenant = onboard_trust(app, "frcoh", "Fresh Cohort NHS Trust")
    cohort_id = create_cohort(app, tenant, name="First name", opens=-1, closes=10)
    with tenant_context(tenant, app):
        cohort = db.session.get(Cohort, cohort_id)
        data = {c.name: getattr(cohort, c.name) for c in Cohort.__table__.columns
                if c.name != "id"}
        cohorts.save_cohort(db.session, {**data, "name": "Renamed intake",
                                         "eoi_closes_on": TODAY + dt.timedelta(days=12)},
                            cohort)
        db.session.commit()
    (entry,), _, _ = summary_of(owner_conn, tenant)
    assert entry == {"name": "Renamed intake", "opens_on": str(TODAY - dt.timedelta(days=1)),
                     "closes_on": str(TODAY + dt.timedelta(days=12))}


def test_a_courses_new_place_is_searchable_at_once(app, owner_conn):
    tenant = onboard_trust(app, "frcou", "Fresh Course NHS Trust")
    place = f"Placetown {secrets.token_hex(3)}"
    with tenant_context(tenant, app):
        course = db.session.scalars(select(Course).limit(1)).one()
        course.locations = [place]
        db.session.commit()
    assert place in summary_of(owner_conn, tenant)[2]
    assert listed(app, tenant, place) == [tenant.slug]


def test_a_moved_drop_in_is_in_the_summary_at_once(app, owner_conn):
    tenant = onboard_trust(app, "frdrop", "Fresh Drop-in NHS Trust")
    add_drop_in(app, tenant, "Old Library")
    with tenant_context(tenant, app):
        drop_in = db.session.scalars(select(InfoSession)).one()
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": TODAY + dt.timedelta(days=9),
            "starts_at": dt.time(11), "ends_at": dt.time(12), "place": "New Hall",
            "capacity": None, "access_notes": None}, drop_in)
        db.session.commit()
    _, drop_ins, places = summary_of(owner_conn, tenant)
    assert [d["place"] for d in drop_ins] == ["New Hall"] and "Old Library" not in places


def test_a_suspended_trust_leaves_the_list_and_comes_back_when_resumed(app):
    tenant = onboard_trust(app, "frstat", "Fresh Status NHS Trust")
    create_cohort(app, tenant, name="Status intake")
    with app.app_context():
        trust_admin.set_status(tenant.slug, "suspended", actor="test")
        assert tenant.slug not in listed(app, tenant, "Fresh Status")
        trust_admin.set_status(tenant.slug, "active", actor="test")
    assert listed(app, tenant, "Fresh Status NHS Trust") == [tenant.slug]


def test_saving_the_trust_pages_blocks_leaves_its_summary_as_it_was(app, owner_conn):
    tenant = onboard_trust(app, "frpage", "Fresh Page NHS Trust")
    create_cohort(app, tenant, name="Page intake")
    add_drop_in(app, tenant, "Page Library")
    before = summary_of(owner_conn, tenant)
    with tenant_context(tenant, app):
        trust_page.save_page(db.session, {"about": "About us."}, actor="test")
        db.session.commit()
    assert summary_of(owner_conn, tenant) == before


def test_the_daily_job_repairs_a_summary_that_drifted(app, owner_conn):
    tenant = onboard_trust(app, "frjob", "Fresh Job NHS Trust")
    create_cohort(app, tenant, name="Repaired intake")
    owner_conn.execute("UPDATE platform.trust_summaries SET cohorts = '[]', places = '' "
                       "WHERE trust_id = %s", (tenant.id,))
    day = TODAY + dt.timedelta(days=400 + secrets.randbelow(10_000))  # a day of its own
    assert tenant.slug in summaries.enqueue_summaries_for_every_trust(day)
    redis = app.extensions["redis"]
    job = Job.fetch(f"summaries-{tenant.slug}-{day.isoformat()}", connection=redis)
    assert job.args == (tenant.slug,)  # ids only
    # Run it on a queue of this test's own (other tests' jobs stay where they are), by a
    # real forking worker.
    queue = Queue(f"test-summaries-{secrets.token_hex(4)}", connection=redis)
    queue.enqueue_job(job)
    Worker([queue], connection=redis).work(burst=True)
    assert [c["name"] for c in summary_of(owner_conn, tenant)[0]] == ["Repaired intake"]


def test_the_worker_runs_the_summaries_job_every_day(app):
    from rq.cron import CronScheduler

    cron = CronScheduler(connection=app.extensions["redis"])
    register_periodic_jobs(cron, 60)
    registered = {job.func: job for job in cron.get_jobs()}
    assert registered[summaries.enqueue_summaries_for_every_trust].cron == SUMMARIES_CRON
