"""Out-of-range ids are 404s (never 500s) on every route, and a suspended trust's signed-in
coordinator gets the 503 page, not a 500."""

from __future__ import annotations

import re

import pytest

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator
from tests.conftest import unique_slug
from tests.test_coordinator_sign_in import LEAD_SECRET, sign_in

PASSWORD = "correct horse battery"
BAD_IDS = ("99999999999999999999", "9223372036854775808", "0", "-1", "abc", "1e3")
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@pytest.fixture(scope="module")
def trust_and_lead(app):
    with app.app_context():
        tenant = trust_admin.onboard(slug=unique_slug("ids"), display_name="Ids NHS Trust",
                                     actor="test")
    with app.app_context(), tenant_context(tenant):
        create_coordinator(db.session, email="lead@ids.example", display_name="Lead",
                           role="lead", password=PASSWORD, totp_secret=LEAD_SECRET)
        db.session.commit()
    return tenant


def urls_with_bad_ids(app, slug: str):
    """Every route with an integer in its path, once per bad value, other parts filled in."""
    for rule in app.url_map.iter_rules():
        if "int" not in {conv for conv, _ in ARGUMENT.findall(rule.rule)}:
            continue
        for bad in BAD_IDS:
            def fill(match, bad=bad):
                converter, name = match.group(1), match.group(2)
                if converter == "int":
                    return bad
                return slug if name == "trust_slug" else "standard"
            yield rule, ARGUMENT.sub(fill, rule.rule)


def test_every_route_answers_a_huge_negative_or_odd_id_with_a_404(app, trust_and_lead):
    client = app.test_client()
    assert sign_in(client, trust_and_lead, "lead@ids.example", PASSWORD).status_code == 302
    checked = 0
    for rule, url in urls_with_bad_ids(app, trust_and_lead.slug):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
            checked += 1
    assert checked > 100  # the walker found the routes (drop-ins, cohorts, applications...)


def test_a_signed_in_coordinator_of_a_suspended_trust_sees_the_503_page(app,
                                                                        trust_and_lead):
    client = app.test_client()
    assert sign_in(client, trust_and_lead, "lead@ids.example", PASSWORD).status_code == 302
    home = f"/trusts/{trust_and_lead.slug}/coordinator/"
    assert client.get(home).status_code == 200
    with app.app_context():
        trust_admin.set_status(trust_and_lead.slug, "suspended", actor="test")
    try:
        for path in (home, f"/trusts/{trust_and_lead.slug}/coordinator/team/",
                     f"/trusts/{trust_and_lead.slug}/"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert "not available" in response.get_data(as_text=True)
    finally:
        with app.app_context():
            trust_admin.set_status(trust_and_lead.slug, "active", actor="test")
    assert client.get(home).status_code == 200
