"""A public page costs a handful of statements: one trust lookup (by host or slug, whichever
names the trust, using its index), which is also the first statement of the page's own
tenant transaction when the path names the trust, and the page's reads."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.cohorts.models import Cohort
from tenants.infosessions import service as infosessions
from tests.applications.helpers import answer_all, create_cohort, start_application
from tests.perf.statements import count_statements, statements_in

PUBLIC_PAGE_BUDGET = 6  # SQL statements, as SQLAlchemy's cursor events see them
# The trust page reads its blocks, stories and crisis lines (issue 17) in one statement.
TRUST_PAGE_BUDGET = PUBLIC_PAGE_BUDGET


@pytest.fixture(autouse=True)
def rendered_every_time(app, monkeypatch):
    """The budget is the page's own: rendered, not served from the visitors' micro-cache
    (tests/perf/test_page_cache.py counts what a hit costs)."""
    monkeypatch.setitem(app.config, "VISITOR_PAGE_SECONDS", 0)


@pytest.fixture(scope="module")
def hosted_trust(app):
    from peerpath import trust_admin
    from tests.conftest import unique_slug

    slug = unique_slug("lean")
    with app.app_context():
        tenant = trust_admin.onboard(slug=slug, display_name="Lean NHS Trust", actor="test",
                                     hosts=[f"{slug}.peerpath.test"])
    create_cohort(app, tenant, name="Spring intake", opens=-2, closes=20)
    with tenant_context(tenant, app):
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": dt.date.today() + dt.timedelta(days=5),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": "Room 1",
            "capacity": None, "access_notes": None})
        db.session.commit()
    return tenant


def lookups_in(sent: list[str]) -> list[str]:
    return [s for s in sent if "platform.trusts" in s]


def assert_within_budget(sent: list[str], budget: int = PUBLIC_PAGE_BUDGET) -> None:
    statements = statements_in(sent)
    assert len(lookups_in(sent)) == 1, "\n".join(sent)
    assert len(statements) <= budget, "\n".join(sent)
    assert sent.count("BEGIN") == 1, "\n".join(sent)
    # Round trips: the statements and one transaction's BEGIN and ROLLBACK, nothing more.
    assert len(sent) <= len(statements) + 2, "\n".join(sent)


def test_the_trust_page_looks_its_trust_up_once_within_the_budget(app, client, hosted_trust):
    client.get(f"/trusts/{hosted_trust.slug}/")  # warm caches (templates, compiled SQL)
    with count_statements(app) as sent:
        response = client.get(f"/trusts/{hosted_trust.slug}/")
    assert response.status_code == 200
    assert_within_budget(sent, TRUST_PAGE_BUDGET)


def test_the_trust_lookup_opens_the_tenant_transaction_and_sets_its_role(app, client,
                                                                          hosted_trust):
    with count_statements(app) as sent:
        client.get(f"/trusts/{hosted_trust.slug}/")
    assert sent[0] == "BEGIN" and sent[1] == lookups_in(sent)[0], sent
    assert "'search_path'" in sent[1] and "set_config('role'" in sent[1]
    assert sent[-1] == "ROLLBACK" and sent.count("BEGIN") == 1, sent


def test_the_trust_page_costs_the_same_however_much_the_trust_has_written_or_how_many_trusts(
        app, client, make_trust):
    from tenants.applications.models import CrisisLine
    from tenants.trustpage.models import Story, TrustPage

    trust = make_trust(display_name="Growing NHS Trust")
    create_cohort(app, trust, name="First intake", opens=-2, closes=20)
    path = f"/trusts/{trust.slug}/"

    def statements() -> int:
        client.get(path)
        with count_statements(app) as sent:
            assert client.get(path).status_code == 200
        return len(sent)

    bare = statements()
    for n in range(3):
        create_cohort(app, trust, name=f"Intake {n}", opens=28 + 30 * n, closes=50 + 30 * n,
                      starts=80 + 30 * n)
    with tenant_context(trust, app):
        db.session.merge(TrustPage(id=1, about="About us."))
        db.session.add_all(Story(role_title=f"Peer worker {n}", body="My story.",
                                 consent_given_on=dt.date.today(), consent_recorded_by="test")
                           for n in range(4))
        db.session.add_all(CrisisLine(position=n, name=f"Line {n}", description="Call us.")
                           for n in range(5))
        for n in range(4):
            infosessions.save_session(db.session, {
                "title": "Drop-in", "on_date": dt.date.today() + dt.timedelta(days=n + 1),
                "starts_at": dt.time(10), "ends_at": dt.time(12), "place": f"Room {n}",
                "capacity": 10, "access_notes": None})
        db.session.commit()
    grown = statements()
    page = client.get(path).get_data(as_text=True)
    assert "Peer worker 3" in page and "Line 4" in page and "Room 3" in page
    for _ in range(3):
        make_trust(display_name="Another NHS Trust")
    assert bare == grown == statements() <= TRUST_PAGE_BUDGET + 2


def test_the_trust_page_on_its_own_host_name_also_looks_it_up_once(app, client, hosted_trust):
    host = hosted_trust.hosts[0]
    client.get("/", base_url=f"http://{host}")
    with count_statements(app) as sent:
        response = client.get("/", base_url=f"http://{host}")
    assert response.status_code == 200
    assert "Lean NHS Trust" in response.get_data(as_text=True)
    assert_within_budget(sent, TRUST_PAGE_BUDGET)


def test_the_list_of_cohorts_to_apply_to_stays_within_the_budget(app, client, hosted_trust):
    client.get(f"/trusts/{hosted_trust.slug}/apply")
    with count_statements(app) as sent:
        response = client.get(f"/trusts/{hosted_trust.slug}/apply")
    assert response.status_code == 200
    assert_within_budget(sent)


def test_each_eoi_step_stays_within_the_budget_with_an_eoi_in_progress(app, hosted_trust):
    """Your details, a question and check your answers, as the applicant whose EOI they
    are: one lookup and one transaction each (check your answers commits its audit record
    and reads nothing after it)."""
    client = app.test_client()
    with tenant_context(hosted_trust, app):
        cohort_id = db.session.scalars(select(Cohort.id)).first()
    base = f"/trusts/{hosted_trust.slug}/apply"
    question = start_application(client, hosted_trust, cohort_id,
                                 email="budget@applicant.example").headers["Location"]
    answer_all(client, hosted_trust)
    for path in (f"{base}/{cohort_id}/your-details", question, f"{base}/check-your-answers"):
        client.get(path)
        with count_statements(app) as sent:
            response = client.get(path)
        assert response.status_code == 200, path
        assert_within_budget(sent)
