"""Retention: per-trust periods, a job that anonymises through registered hooks and logs
each run, leaving no personal data and every count intact."""

from __future__ import annotations

import datetime as dt

import pytest
from psycopg import sql
from rq import Worker
from sqlalchemy import text

from peerpath.extensions import db
from peerpath.queue import DEFAULT
from peerpath.tenancy import tenant_context
from tenants.retention import registry, service
from tenants.retention.models import RetentionRun
from tests.dp_support import create_people_table, csrf_token, onboard_with_staff, signed_in_client

TODAY = dt.date(2026, 6, 15)
PEOPLE = [  # ref, name, status, cohort start
    ("A1", "Canary Person One", "unsuccessful", dt.date(2025, 1, 10)),  # past 12 months
    ("A2", "Canary Person Two", "unsuccessful", dt.date(2026, 1, 10)),  # within
    ("A3", "Canary Person Three", "withdrawn", dt.date(2025, 12, 1)),  # past 6 months
    ("A4", "Canary Person Four", "trained", dt.date(2020, 1, 1)),  # kept
]


def anonymise_people(session, policy, today):
    """What the applications domain would register: names go, rows and statuses stay."""
    done = {}
    for status, category in (("unsuccessful", "unsuccessful_applications"),
                             ("withdrawn", "withdrawn_applications")):
        cutoff = policy.cutoff(category, today)
        if cutoff is None:
            continue
        done[status] = session.execute(text(
            "UPDATE people SET name = NULL WHERE status = :s AND cohort_start < :c "
            "AND name IS NOT NULL"), {"s": status, "c": cutoff}).rowcount
    return done


def broken_anonymiser(session, policy, today):
    session.execute(text("UPDATE people SET name = 'half-done'"))
    raise RuntimeError("Canary Person One could not be anonymised")  # quotes data on purpose


@pytest.fixture
def trust(app, database_url):
    tenant = onboard_with_staff(app, "keep")
    create_people_table(database_url, tenant)
    with tenant_context(tenant, app=app):
        for ref, name, status, start in PEOPLE:
            db.session.execute(text("INSERT INTO people (ref, name, status, cohort_start) "
                                    "VALUES (:r, :n, :s, :c)"),
                               {"r": ref, "n": name, "s": status, "c": start})
        db.session.commit()
    return tenant


def people(app, tenant) -> dict:
    with tenant_context(tenant, app=app):
        return {r.ref: (r.name, r.status) for r in db.session.execute(
            text("SELECT ref, name, status FROM people ORDER BY ref"))}


def test_months_before_handles_month_ends_and_years():
    assert service.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert service.months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)
    assert service.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_onboarding_writes_the_default_periods_and_a_data_key(app, owner_conn):
    tenant = onboard_with_staff(app, "defaults")
    rules = dict(owner_conn.execute(sql.SQL("SELECT category, months FROM {}.retention_rules")
                                    .format(sql.Identifier(tenant.schema))).fetchall())
    assert rules == {"unsuccessful_applications": 12, "withdrawn_applications": 6,
                     "attendance_and_outcomes": None, "drop_in_bookings": 6}
    keys = owner_conn.execute(sql.SQL("SELECT count(*) FROM {}.data_keys").format(
        sql.Identifier(tenant.schema))).fetchone()[0]
    assert keys == 1


def test_a_run_anonymises_what_is_past_retention_and_keeps_every_count(app, trust, monkeypatch):
    monkeypatch.setitem(registry.ANONYMISERS, "people", anonymise_people)
    before = people(app, trust)
    with tenant_context(trust, app=app):
        run = service.run_retention(db.session, today=TODAY)
    after = people(app, trust)
    assert run.status == "ok" and run.counts["people"] == {"unsuccessful": 1, "withdrawn": 1}
    assert after["A1"][0] is None and after["A3"][0] is None
    assert after["A2"][0] == "Canary Person Two" and after["A4"][0] == "Canary Person Four"
    assert [s for _, s in after.values()] == [s for _, s in before.values()]


def test_a_failing_anonymiser_is_rolled_back_alone_and_its_error_logged_without_data(
        app, trust, monkeypatch):
    monkeypatch.setitem(registry.ANONYMISERS, "people", anonymise_people)
    monkeypatch.setitem(registry.ANONYMISERS, "zz_broken", broken_anonymiser)
    with tenant_context(trust, app=app):
        run = service.run_retention(db.session, today=TODAY)
        assert run.status == "partial" and run.errors == {"zz_broken": "RuntimeError"}
        stored = db.session.get(RetentionRun, run.id)
        assert "Canary" not in str(stored.errors) and "Canary" not in str(stored.counts)
    after = people(app, trust)
    assert "half-done" not in {n for n, _ in after.values()} and after["A1"][0] is None


def test_a_lead_changes_the_periods_and_the_next_run_uses_them(app, trust, monkeypatch):
    monkeypatch.setitem(registry.ANONYMISERS, "people", anonymise_people)
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/retention"
    bad = client.post(page, data={"unsuccessful_applications": "twelve",
                                  "csrf_token": csrf_token(client, page)})
    assert bad.status_code == 400 and "whole number of months" in bad.get_data(as_text=True)
    saved = client.post(page, data={"unsuccessful_applications": "3",
                                    "withdrawn_applications": "",
                                    "csrf_token": csrf_token(client, page)})
    assert saved.status_code == 302
    with tenant_context(trust, app=app):
        assert service.policy(db.session).months["withdrawn_applications"] is None
        service.run_retention(db.session, today=TODAY)
    after = people(app, trust)
    assert after["A2"][0] is None, "3 months now"
    assert after["A3"][0] == "Canary Person Three", "withdrawn ones are now kept"


def test_the_scheduled_job_takes_only_the_slug_and_runs_in_a_forked_worker(
        app, trust, monkeypatch, redis_conn):
    monkeypatch.setitem(registry.ANONYMISERS, "people", anonymise_people)
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/retention"
    response = client.post(f"{page}/run", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 302
    job_ids = redis_conn.lrange("rq:queue:" + DEFAULT, 0, -1)
    assert job_ids == [f"retention-{trust.slug}".encode()]
    Worker([DEFAULT], connection=redis_conn).work(burst=True)
    with tenant_context(trust, app=app):
        runs = service.recent_runs(db.session)
    assert runs and runs[0].trigger == "job" and runs[0].status == "ok"
    assert people(app, trust)["A3"][0] is None
    body = client.get(page).get_data(as_text=True)
    assert "people: 1 unsuccessful" in body or "people: 1 withdrawn" in body
