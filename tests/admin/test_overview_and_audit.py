"""The trusts overview (figures, chart, fleet versions) and the platform audit log page."""

from __future__ import annotations

import re

import psycopg
import pytest

from peerpath.extensions import db
from peerpath.migrate import tenant_head
from peerpath.tenancy import tenant_context
from tenants.cohorts.models import Cohort, Course
from tenants.coordinators.service import create_coordinator, note_sign_in


@pytest.fixture
def busy_trust(app, make_trust, owner_conn):
    """A trust with an open cohort, a signed-in coordinator, applications and an outbox."""
    import datetime as dt

    tenant = make_trust(display_name="Busy NHS Trust")
    today = dt.date.today()
    with app.app_context(), tenant_context(tenant):
        course = Course(name="PSW", length_weeks=10, training_days=10, format="classroom")
        db.session.add(course)
        db.session.flush()
        db.session.add(Cohort(course_id=course.id, name="Open", capacity=12,
                              eoi_opens_on=today - dt.timedelta(days=3),
                              eoi_closes_on=today + dt.timedelta(days=3),
                              starts_on=today + dt.timedelta(days=30)))
        note_sign_in(create_coordinator(db.session, email="c@busy.example", display_name="C"))
        db.session.commit()
    schema = tenant.schema
    # Counts are all the console reads: the rows need no realistic content.
    cohort = owner_conn.execute(f'SELECT id FROM "{schema}".cohorts').fetchone()[0]
    for n, submitted in enumerate(("now()", "now()", "now() - interval '14 days'", "NULL")):
        applicant = owner_conn.execute(
            f'INSERT INTO "{schema}".applicants (email, name) VALUES (%s, %s) RETURNING id',
            (f"a{n}@busy.example", "A")).fetchone()[0]
        owner_conn.execute(
            f'INSERT INTO "{schema}".applications (applicant_id, cohort_id, reference, '
            f"submitted_at) VALUES (%s, %s, %s, {submitted})", (applicant, cohort, f"BUSY{n}"))
    for status in ("created", "sending", "sent", "permanent_failure"):
        owner_conn.execute(
            f'INSERT INTO "{schema}".notification_outbox (template_key, variant, channel, '
            "body_text, status) VALUES ('test', 'standard', 'email', 'x', %s)", (status,))
    return tenant


def _row(body: str, slug: str) -> str:
    return body.split(f'id="trust-{slug}"')[1].split("</tr>")[0]


def test_the_overview_shows_each_trusts_figures_and_weekly_chart(admin_client, busy_trust,
                                                                 make_trust):
    quiet = make_trust(display_name="Quiet NHS Trust")
    body = admin_client.get("/admin/trusts").get_data(as_text=True)
    busy = _row(body, busy_trust.slug)
    cells = re.findall(r'<td class="nhsuk-table__cell[^"]*">(.*?)</td>', busy, re.S)
    assert tenant_head() in cells[2] and "behind" not in cells[2]
    assert cells[4].strip() == "1"  # open cohorts
    assert "<svg" in cells[6] and cells[7].strip() == "2 / 1"  # pending / failed
    assert cells[5].strip() in {"2", "3"}  # this month (14 days ago may be last month)
    assert "Never" not in cells[8]
    assert re.search(r"aria-label=\"Applications per week at Busy NHS Trust: [^\"]*: 2\"", busy)
    quiet_cells = re.findall(r'<td class="nhsuk-table__cell[^"]*">(.*?)</td>',
                             _row(body, quiet.slug), re.S)
    assert quiet_cells[5].strip() == "0" and quiet_cells[8].strip() == "Never"


def _statements_for_fleet_view(app) -> tuple[int, int]:
    from sqlalchemy import event

    from peerpath.admin import service

    statements = []
    original = service.owner_engine

    def counting_engine(url):
        engine = original(url)
        event.listen(engine, "before_cursor_execute",
                     lambda *args, **kw: statements.append(args[2]))
        return engine

    with app.app_context():
        service.owner_engine = counting_engine
        try:
            fleet = service.fleet_view()
        finally:
            service.owner_engine = original
    return len(fleet.trusts), len(statements)


def test_the_overview_reads_every_trust_in_a_constant_number_of_queries(app, busy_trust,
                                                                        make_trust):
    trusts_before, statements_before = _statements_for_fleet_view(app)
    make_trust()
    make_trust()
    trusts_after, statements_after = _statements_for_fleet_view(app)
    assert trusts_after == trusts_before + 2
    assert statements_after == statements_before <= 8


def test_the_last_fleet_upgrade_is_recorded_and_shown(admin_client, cli, busy_trust,
                                                      database_url):
    version_table = f'"{busy_trust.schema}".alembic_version'
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"UPDATE {version_table} SET version_num = 't-broken'")
        try:
            result = cli("trusts", "upgrade", "--jobs", "1")
        finally:  # other tests upgrade the fleet: leave no broken trust behind
            conn.execute(f"UPDATE {version_table} SET version_num = %s", (tenant_head(),))
    assert result.exit_code == 1
    body = admin_client.get("/admin/trusts").get_data(as_text=True)
    assert re.search(r"\d+ upgraded, 1 failed", body.split("<table")[0])
    assert "Failed" in _row(body, busy_trust.slug)


def test_the_audit_log_filters_by_action_trust_and_date(admin_client, make_trust):
    tenant = make_trust()
    body = admin_client.get(f"/admin/audit?action=trust.onboarded&trust={tenant.slug}"
                            ).get_data(as_text=True)
    table = body.split('id="audit"')[1]
    assert table.count("<code>trust.onboarded</code>") == 1 and tenant.slug in table
    none = admin_client.get(f"/admin/audit?trust={tenant.slug}&to=2000-01-01")
    assert "No entries match" in none.get_data(as_text=True)
    bad = admin_client.get("/admin/audit?from=31/02/2026&before=abc")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "There is a problem" in text and "Enter a date" in text
    far_off = admin_client.get("/admin/audit?to=9999-12-31")  # the day after was a 500
    assert far_off.status_code == 400 and "Enter a date from 2000 to 2100" in far_off.get_data(
        as_text=True)


def test_the_app_role_cannot_rewrite_the_platform_audit_log(app):
    from sqlalchemy import text
    from sqlalchemy.exc import ProgrammingError

    with app.app_context():
        for statement in ("UPDATE platform.audit_log SET actor = 'x'",
                          "DELETE FROM platform.audit_log"):
            with db.engine.connect() as conn, pytest.raises(ProgrammingError,
                                                            match="permission denied"):
                conn.execute(text(statement))
