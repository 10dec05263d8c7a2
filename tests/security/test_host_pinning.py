"""Host pinning, and links in messages built from configuration, never from the Host header."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerpath.config import ConfigError, load_config
from peerpath.extensions import db
from peerpath.links import external_url
from peerpath.tenancy import tenant_context
from tenants.notifications.models import OutboxMessage
from tests.applications.helpers import create_cohort, post_form, start_application
from tests.conftest import unique_slug


@pytest.fixture(scope="module")
def hosted(app):
    from peerpath import trust_admin

    slug = unique_slug("pin")
    with app.app_context():
        return trust_admin.onboard(slug=slug, display_name="Pinned NHS Trust", actor="test",
                                   hosts=[f"{slug}.peerpath.test"])


@pytest.fixture(scope="module")
def plain(app):
    from peerpath import trust_admin

    with app.app_context():
        tenant = trust_admin.onboard(slug=unique_slug("pln"), display_name="Plain NHS Trust",
                                     actor="test")
    create_cohort(app, tenant)
    return tenant


@pytest.mark.parametrize("host", ["attacker.example", "localhost.", "127.0.0.1.",
                                  "user@localhost", "local host", "localhost:80:80", ""])
def test_a_host_that_is_not_the_platforms_or_a_trusts_is_a_400(client, plain, host):
    for path in ("/", f"/trusts/{plain.slug}/", f"/trusts/{plain.slug}/account/sign-in",
                 "/admin/", "/api/v1/openapi.json", "/no-such-page"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert "Plain NHS Trust" not in response.get_data(as_text=True)


def test_a_trusts_host_with_a_trailing_dot_is_refused(client, hosted):
    assert client.get("/", headers={"Host": hosted.hosts[0]}).status_code == 200
    assert client.get("/", headers={"Host": hosted.hosts[0] + "."}).status_code == 400


def test_an_absolute_form_target_naming_another_host_is_refused(client, plain):
    # gunicorn keeps the request target in RAW_URI and the Host header apart.
    path = f"/trusts/{plain.slug}/account/sign-in"
    fine = client.get(path, environ_overrides={"RAW_URI": f"http://localhost{path}"})
    assert fine.status_code == 200
    poisoned = client.get(path, environ_overrides={"RAW_URI": f"http://attacker.example{path}"})
    assert poisoned.status_code == 400


def test_loopback_hosts_and_ports_are_answered_outside_production(client, plain):
    for host in ("localhost", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST:5000"):
        assert client.get(f"/trusts/{plain.slug}/", headers={"Host": host}).status_code == 200


def test_production_refuses_to_start_without_a_public_url():
    env = {"PEERPATH_ENV": "production", "DATABASE_URL": "postgresql://o:pw@db/pp",
           "REDIS_URL": "redis://r/0", "SECRET_KEY": "k" * 40,
           "APP_DATABASE_URL": "postgresql://peerpath_app:x@db/pp",
           "PEERPATH_DATA_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}
    with pytest.raises(ConfigError, match="PEERPATH_PUBLIC_URL"):
        load_config(env)
    cfg = load_config({**env, "PEERPATH_PUBLIC_URL": "https://PeerPath.example.nhs.uk/"})
    assert cfg["PUBLIC_URL"] == "https://peerpath.example.nhs.uk"
    assert cfg["PLATFORM_HOSTS"] == {"peerpath.example.nhs.uk"}  # no loopback in production
    with pytest.raises(ConfigError):
        load_config({**env, "PEERPATH_PUBLIC_URL": "peerpath.example.nhs.uk/path"})


def _last_link_sent_to(app, tenant, email: str) -> str:
    with tenant_context(tenant, app):
        body = db.session.scalars(select(OutboxMessage.body_text).where(
            OutboxMessage.recipient_email == email).order_by(OutboxMessage.id.desc())).first()
    return next(word for word in body.split() if "/sign-in/" in word)


def test_the_sign_in_link_goes_to_the_public_url_whatever_host_asked(app, client, plain,
                                                                    monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://peerpath.example.nhs.uk")
    cohort_id = create_cohort(app, plain, name="Links intake")
    start_application(client, plain, cohort_id, email="links@applicant.example")
    post_form(app.test_client(), f"/trusts/{plain.slug}/account/sign-in",
              {"email": "links@applicant.example"})
    link = _last_link_sent_to(app, plain, "links@applicant.example")
    assert link.startswith(f"https://peerpath.example.nhs.uk/trusts/{plain.slug}/account/")


def test_a_trusts_links_use_its_registered_host_and_need_no_request(app, hosted, plain,
                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "http://127.0.0.1:8000")
    with tenant_context(hosted, app):  # as in the worker: no request at all
        link = external_url("coordinators.accept_invitation", token="abc")
    assert link == f"http://{hosted.hosts[0]}:8000/coordinator/invitation/abc"
    with tenant_context(plain, app):
        link = external_url("coordinators.accept_invitation", token="abc")
    assert link == f"http://127.0.0.1:8000/trusts/{plain.slug}/coordinator/invitation/abc"
