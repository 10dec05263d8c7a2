"""Which trust a request belongs to: host name or path prefix; never a default."""

from __future__ import annotations

import pytest
from flask import g

from peerpath import trust_admin
from peerpath.auth import load_user, platform_user_id, tenant_user_id
from peerpath.tenancy import find_tenant


@pytest.fixture
def hosted(make_trust):
    from tests.conftest import unique_slug

    slug = unique_slug("host")
    return make_trust(slug=slug, display_name="Hosted NHS Trust", hosts=[f"{slug}.peerpath.test"])


def test_a_trust_page_is_found_by_its_path_prefix(client, make_trust):
    tenant = make_trust(display_name="Path Partnership NHS Trust")
    response = client.get(f"/trusts/{tenant.slug}/")
    assert response.status_code == 200
    assert "Path Partnership NHS Trust" in response.get_data(as_text=True)


def test_a_trust_page_is_found_by_its_host_name(client, hosted):
    response = client.get("/", headers={"Host": f"{hosted.slug}.peerpath.test"})
    assert response.status_code == 200
    assert "Hosted NHS Trust" in response.get_data(as_text=True)


def test_a_host_name_never_serves_another_trusts_path(client, hosted, make_trust):
    other = make_trust(display_name="Other NHS Trust")
    response = client.get(f"/trusts/{other.slug}/",
                          headers={"Host": f"{hosted.slug}.peerpath.test"})
    assert response.status_code == 404
    assert "Other NHS Trust" not in response.get_data(as_text=True)


def test_an_unknown_trust_is_a_404_page(client):
    response = client.get("/trusts/no-such-trust/")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "nhsuk-header" in body and "Traceback" not in body


def test_an_unregistered_host_is_refused(client):
    # Issue 15: a host that is neither the platform's nor a trust's is a 400, not the index.
    response = client.get("/", headers={"Host": "unknown.peerpath.test"})
    assert response.status_code == 400
    assert "Choose a trust" not in response.get_data(as_text=True)


def test_a_suspended_trust_shows_a_503_page_until_resumed(app, client, make_trust):
    tenant = make_trust(display_name="Paused NHS Trust")
    with app.app_context():
        trust_admin.set_status(tenant.slug, "suspended", actor="test")
    response = client.get(f"/trusts/{tenant.slug}/")
    assert response.status_code == 503
    assert "unavailable" in response.get_data(as_text=True)
    with app.app_context():
        trust_admin.set_status(tenant.slug, "active", actor="test")
    assert client.get(f"/trusts/{tenant.slug}/").status_code == 200


def test_the_platform_index_lists_active_trusts_only(app, client, make_trust):
    shown, hidden = make_trust(display_name="Listed NHS Trust"), make_trust(
        display_name="Hidden Suspended NHS Trust")
    with app.app_context():
        trust_admin.set_status(hidden.slug, "suspended", actor="test")
    # The list is paged (the suite holds many trusts): search for each by name.
    found = client.get("/", query_string={"q": shown.display_name}).get_data(as_text=True)
    assert shown.display_name in found
    missing = client.get("/", query_string={"q": hidden.display_name}).get_data(as_text=True)
    assert 'id="no-match"' in missing and f'href="/trusts/{hidden.slug}/"' not in missing


def test_a_login_made_in_one_trust_is_anonymous_in_another_and_on_the_console(app, make_trust):
    mine, other = make_trust(), make_trust()
    session_id = tenant_user_id(mine.slug, 1)
    with app.test_request_context():
        g.tenant = find_tenant(other.slug)
        assert load_user(session_id) is None
    with app.test_request_context():
        g.platform_realm = True
        assert load_user(session_id) is None
    with app.test_request_context():
        g.tenant = find_tenant(mine.slug)
        assert load_user(platform_user_id(1)) is None


def test_every_response_carries_the_security_headers(client, make_trust):
    tenant = make_trust()
    for path in ("/", f"/trusts/{tenant.slug}/", "/trusts/missing-trust/"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
        assert "max-age" in headers["Strict-Transport-Security"]


def test_inline_scripts_carry_the_responses_nonce(client):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    body = response.get_data(as_text=True)
    for chunk in body.split("<script")[1:]:
        assert f'nonce="{nonce}"' in chunk.split(">")[0]
