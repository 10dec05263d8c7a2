"""A deep link to a signed-in page keeps its target through sign-in and two-factor, on the
path form and on a trust's own host, and never sends anyone off the trust."""

from __future__ import annotations

import pyotp
import pytest

from peerpath import trust_admin
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.coordinators.service import create_coordinator
from tests.accounts.helpers import csrf_from
from tests.conftest import unique_slug

PASSWORD = "correct horse battery"
SECRET = pyotp.random_base32()


@pytest.fixture(scope="module")
def trust(app):
    slug = unique_slug("deep")
    with app.app_context():
        tenant = trust_admin.onboard(slug=slug, display_name="Deep NHS Trust", actor="test",
                                     hosts=[f"{slug}.peerpath.test"])
    with app.app_context(), tenant_context(tenant):
        create_coordinator(db.session, email="lead@deep.example", display_name="Lead",
                           role="lead", password=PASSWORD, totp_secret=SECRET)
        db.session.commit()
    return tenant


def follow_sign_in(client, start: str, **kwargs) -> str:
    """Open `start` signed out, sign in with password and code; the final Location."""
    sent_to = client.get(start, **kwargs)
    assert sent_to.status_code == 302 and "/sign-in" in sent_to.headers["Location"]
    return sign_in_at(client, sent_to.headers["Location"], **kwargs)


def sign_in_at(client, sign_in_page: str, **kwargs) -> str:
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter("peerpath:totp-step:trust:*"):
        redis.delete(key)
    page = client.get(sign_in_page, **kwargs)
    password = client.post(sign_in_page, data={"email": "lead@deep.example",
                                               "password": PASSWORD,
                                               "csrf_token": csrf_from(page)}, **kwargs)
    assert password.status_code == 302, password.get_data(as_text=True)[:500]
    code_page = client.get(password.headers["Location"], **kwargs)
    done = client.post(password.headers["Location"], data={
        "code": pyotp.TOTP(SECRET).now(), "csrf_token": csrf_from(code_page)}, **kwargs)
    assert done.status_code == 302
    return done.headers["Location"]


def test_a_deep_link_survives_sign_in_and_two_factor(app, trust):
    target = f"/trusts/{trust.slug}/coordinator/settings/drop-ins/?page=2"
    assert follow_sign_in(app.test_client(), target) == target


def test_a_deep_link_on_the_trusts_own_host_survives_too(app, trust):
    host = {"headers": {"Host": trust.hosts[0]}}
    landed = follow_sign_in(app.test_client(), "/coordinator/team/", **host)
    assert landed.endswith("/coordinator/team/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x",
                                    "/trusts/other-trust/coordinator/"])
def test_a_next_that_leaves_the_trust_goes_home_instead(app, trust, target):
    landed = sign_in_at(app.test_client(),
                        f"/trusts/{trust.slug}/coordinator/sign-in?next={target}")
    assert landed == f"/trusts/{trust.slug}/coordinator/"


def test_an_applicants_deep_link_lands_on_its_page_after_the_emailed_sign_in(app, trust):
    from tests.applications.helpers import (
        create_cohort,
        sign_in_link,
        start_application,
        use_sign_in_link,
    )

    cohort_id = create_cohort(app, trust, name="Deep intake")
    start_application(app.test_client(), trust, cohort_id, email="deep@applicant.example")
    client = app.test_client()
    target = f"/trusts/{trust.slug}/account/?from=email"
    asked = client.get(target)
    assert asked.status_code == 302 and "/sign-in" in asked.headers["Location"]
    token = sign_in_link(app, trust, "deep@applicant.example")
    used = use_sign_in_link(client, trust, token)
    assert used.headers["Location"] == target
    assert client.get(target).status_code == 200
