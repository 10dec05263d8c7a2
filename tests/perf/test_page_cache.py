"""The visitors' micro-cache of public pages (peerpath.page_cache): a trust page's hit costs
the trust's lookup only (the list of trusts' nothing), never crosses trusts, hosts or
sessions, refuses a suspended trust as before, and a change shows at once when this process
made it, within the cache's seconds otherwise."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import g, render_template_string
from psycopg import sql

from peerpath import page_cache, trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.trustpage.models import Story
from tests.applications.helpers import create_cohort, start_application
from tests.perf.statements import count_statements, statements_in


@pytest.fixture
def trust(make_trust, app):
    tenant = make_trust(display_name="Cached NHS Trust")
    create_cohort(app, tenant, name="Cached intake", opens=-2, closes=20)
    return tenant


def page_of(client, tenant, **kwargs):
    response = client.get(f"/trusts/{tenant.slug}/", **kwargs)
    assert response.status_code == 200
    return response


def nonces(response) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', response.get_data(as_text=True)))


def add_story(app, tenant, role_title: str) -> None:
    with tenant_context(tenant, app):
        db.session.add(Story(role_title=role_title, body="My story.",
                             consent_given_on=dt.date.today(), consent_recorded_by="test"))
        db.session.commit()


def test_a_second_visitor_gets_the_same_page_for_the_lookup_alone(app, trust):
    first = page_of(app.test_client(), trust)
    with count_statements(app) as sent:
        second = page_of(app.test_client(), trust)
    real = statements_in(sent)
    assert len(real) == 1 and "platform.trusts" in real[0], sent
    strip = re.compile(r'nonce="[^"]+"')
    assert strip.sub("", first.get_data(as_text=True)) == \
        strip.sub("", second.get_data(as_text=True))
    # Each response carries its own nonce, the one its Content-Security-Policy allows.
    assert nonces(first) != nonces(second) and len(nonces(second)) == 1
    assert f"'nonce-{nonces(second).pop()}'" in second.headers["Content-Security-Policy"]
    assert second.headers["Cache-Control"] == "no-store"


def test_a_change_this_process_commits_shows_on_the_next_request(app, trust):
    page_of(app.test_client(), trust)
    add_story(app, trust, "Peer worker in the cache test")
    assert "Peer worker in the cache test" in page_of(app.test_client(), trust).get_data(
        as_text=True)


def write_story_elsewhere(owner_conn, tenant, role_title: str) -> None:
    """As another process would: not through this process's sessions."""
    owner_conn.execute(sql.SQL("INSERT INTO {}.stories (role_title, body, consent_given_on, "
                               "consent_recorded_by) VALUES (%s, 'Hi.', current_date, 'test')"
                               ).format(sql.Identifier(tenant.schema)), (role_title,))


def test_a_change_made_elsewhere_shows_once_the_seconds_have_passed(app, trust, owner_conn,
                                                                   monkeypatch):
    page_of(app.test_client(), trust)
    write_story_elsewhere(owner_conn, trust, "Written elsewhere")
    assert "Written elsewhere" not in page_of(app.test_client(), trust).get_data(as_text=True)
    now = page_cache.clock()
    monkeypatch.setattr(page_cache, "clock",
                        lambda: now + app.config["VISITOR_PAGE_SECONDS"] + 1)
    assert "Written elsewhere" in page_of(app.test_client(), trust).get_data(as_text=True)


def test_a_visitor_with_a_session_always_gets_the_page_rendered(app, trust, owner_conn):
    applicant = app.test_client()
    cohort_id = create_cohort(app, trust, name="Second intake", opens=-1, closes=30)
    start_application(applicant, trust, cohort_id, email="cached@applicant.example")
    page_of(app.test_client(), trust)
    write_story_elsewhere(owner_conn, trust, "Seen with a session")
    assert "Seen with a session" in page_of(applicant, trust).get_data(as_text=True)
    assert "Seen with a session" not in page_of(app.test_client(), trust).get_data(
        as_text=True)


def test_a_suspended_trust_is_refused_though_its_page_was_cached(app, trust):
    page_of(app.test_client(), trust)
    with app.app_context():
        trust_admin.set_status(trust.slug, "suspended", actor="test")
    assert app.test_client().get(f"/trusts/{trust.slug}/").status_code == 503


def test_two_trusts_and_two_host_names_never_share_a_page(app, make_trust):
    one = make_trust(display_name="Cache One NHS Trust", hosts=["cache-one.peerpath.test"])
    two = make_trust(display_name="Cache Two NHS Trust")
    for _ in range(2):
        assert "Cache Two" not in page_of(app.test_client(), one).get_data(as_text=True)
        assert "Cache One" not in page_of(app.test_client(), two).get_data(as_text=True)
    by_slug = page_of(app.test_client(), one).get_data(as_text=True)
    by_host = app.test_client().get("/", base_url="http://cache-one.peerpath.test")
    assert by_host.status_code == 200 and "Cache One NHS Trust" in by_host.get_data(
        as_text=True)
    assert f'href="/trusts/{one.slug}/accessibility"' in by_slug


def test_no_cache_when_its_seconds_are_zero(app, trust, monkeypatch):
    monkeypatch.setitem(app.config, "VISITOR_PAGE_SECONDS", 0)
    page_of(app.test_client(), trust)
    with count_statements(app) as sent:
        page_of(app.test_client(), trust)
    assert len(statements_in(sent)) > 1


def test_the_list_of_cohorts_to_apply_to_is_cached_too(app, trust):
    path = f"/trusts/{trust.slug}/apply"
    first = app.test_client().get(path)
    with count_statements(app) as sent:
        second = app.test_client().get(path)
    assert first.status_code == second.status_code == 200
    assert len(statements_in(sent)) == 1
    assert "Cached intake" in second.get_data(as_text=True)


def test_a_page_that_starts_a_session_is_never_kept(app, trust):
    """A view behind the cache that gives the visitor a CSRF token (and so a session) is
    rendered for every visitor, each with a token of their own."""
    view = page_cache.for_visitors(
        lambda: render_template_string('<form><input value="{{ csrf_token() }}"></form>'))
    with app.test_request_context(f"/trusts/{trust.slug}/"):
        g.tenant = trust
        first = view()
    with app.test_request_context(f"/trusts/{trust.slug}/"):
        g.tenant = trust
        second = view()
    assert first != second


def test_the_list_of_trusts_is_cached_and_forgets_on_any_write_here(app, make_trust):
    app.test_client().get("/?q=Listed")
    with count_statements(app) as sent:
        assert app.test_client().get("/?q=Listed").status_code == 200
    assert statements_in(sent) == []
    listed = make_trust(display_name="Listed Cache NHS Trust")
    create_cohort(app, listed, name="Listed intake", opens=-1, closes=10)
    assert "Listed Cache NHS Trust" in app.test_client().get("/?q=Listed").get_data(
        as_text=True)
    with app.app_context():
        trust_admin.set_status(listed.slug, "suspended", actor="test")
    assert "Listed Cache NHS Trust" not in app.test_client().get("/?q=Listed").get_data(
        as_text=True)


def test_a_coordinator_looking_at_pages_forgets_nothing(app, trust, owner_conn):
    """Viewing a cohort's dashboard records an audit entry and commits: no public page shows
    the audit trail, so the visitors' pages stay cached."""
    from tests.workspace.helpers import signed_in_client

    audit = sql.SQL("SELECT count(*) FROM {}.audit_events").format(sql.Identifier(trust.schema))
    cohort_id = owner_conn.execute(sql.SQL("SELECT min(id) FROM {}.cohorts").format(
        sql.Identifier(trust.schema))).fetchone()[0]
    coordinator, _ = signed_in_client(app, trust, "lead")
    page_of(app.test_client(), trust)
    write_story_elsewhere(owner_conn, trust, "Still cached")
    before = owner_conn.execute(audit).fetchone()[0]
    dashboard = coordinator.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/")
    assert dashboard.status_code == 200 and owner_conn.execute(audit).fetchone()[0] > before
    assert "Still cached" not in page_of(app.test_client(), trust).get_data(as_text=True)
