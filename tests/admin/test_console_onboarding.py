"""Onboarding a trust from the console: queued on RQ, progress polled, all or nothing."""

from __future__ import annotations

import signal

import pytest
from accounts.helpers import post_form
from rq import Worker

from peerpath.queue import DEFAULT
from tests.conftest import unique_slug

FORM = "/admin/trusts/new"


def _details(slug: str, **overrides) -> dict:
    return {"display_name": "Somewhere Mental Health NHS Trust", "slug": slug,
            "hosts": "psw.somewhere.test\nrecruit.somewhere.test",
            "contact_email": "psw@somewhere.example", "contact_phone": "01632 960001",
            "lead_email": "lead@somewhere.example", "template": "standard", **overrides}


def _work(app) -> None:
    """A real forking RQ worker, run until the queue is empty. It installs its own SIGINT and
    SIGTERM handlers in this process; they are put back so later tests (and their process
    pools) are not left with a worker's handlers."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        Worker([DEFAULT], connection=app.extensions["redis"]).work(burst=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_onboarding_from_the_console_shows_progress_then_the_new_trust(
        admin_client, app, owner_conn):
    slug = unique_slug("con")
    response = post_form(admin_client, FORM, _details(slug))
    assert response.status_code == 302
    progress = admin_client.get(response.headers["Location"])
    body = progress.get_data(as_text=True)
    assert "Check progress" in body and "Waiting to start" in body
    assert 'http-equiv="refresh"' not in body  # no timed refresh (axe: meta-refresh)

    _work(app)

    done = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Trust onboarded" in done and "Check progress" not in done
    schema = "trust_" + slug.replace("-", "_")
    trust = owner_conn.execute(
        "SELECT display_name, hosts, contact_email, status FROM platform.trusts WHERE slug = %s",
        (slug,)).fetchone()
    assert trust == ("Somewhere Mental Health NHS Trust",
                     ["psw.somewhere.test", "recruit.somewhere.test"], "psw@somewhere.example",
                     "active")
    lead = owner_conn.execute(
        f'SELECT id, role, password_hash FROM "{schema}".coordinators').fetchall()
    assert [(r[1], r[2]) for r in lead] == [("lead", None)]
    invitation = owner_conn.execute(
        f'SELECT coordinator_id, length(token_hash), used_at FROM "{schema}".'
        "coordinator_invitations").fetchall()
    assert invitation == [(lead[0][0], 64, None)]
    actions = [a for (a,) in owner_conn.execute(
        "SELECT action FROM platform.audit_log WHERE target = %s ORDER BY id", (slug,))]
    assert actions == ["trust.onboarding_requested", "trust.onboarded"]


def test_a_run_that_fails_says_why_and_leaves_nothing_behind(admin_client, app, owner_conn,
                                                             make_trust):
    slug = unique_slug("race")
    response = post_form(admin_client, FORM, _details(slug, hosts=""))
    make_trust(slug=slug)  # someone else takes the slug before the worker gets to it

    _work(app)

    body = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was created" in body and "already exists" in body
    schema = "trust_" + slug.replace("-", "_")
    assert owner_conn.execute(f'SELECT count(*) FROM "{schema}".coordinators').fetchone() == (0,)
    assert owner_conn.execute(
        f'SELECT count(*) FROM "{schema}".coordinator_invitations').fetchone() == (0,)


def test_a_taken_slug_is_reported_on_the_form(admin_client, module_trust):
    response = post_form(admin_client, FORM, _details(module_trust.slug))
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "already exists" in body and 'value="Somewhere Mental Health NHS Trust"' in body


@pytest.mark.parametrize("field, value, message", [
    ("display_name", "", "Enter the trust"),
    ("slug", "", "Enter a short name"),
    ("slug", "Drop Table", "lower-case letters"),
    ("slug", "select", "reserved word"),
    ("slug", "x" * 5000, "lower-case letters"),
    ("hosts", "not a host", "is not a host name"),
    ("contact_email", "nope", "correct format"),
    ("lead_email", "", "Enter the lead coordinator"),
    ("template", "\x00", "Choose a starting configuration"),
])
def test_bad_onboarding_input_gets_an_error_summary_not_a_500(admin_client, field, value,
                                                               message):
    response = post_form(admin_client, FORM, {**_details(unique_slug("bad")), field: value})
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[:300]
    assert "There is a problem" in body and message in body and "<title>Error: " in body
    assert f'href="#{field}' in body
