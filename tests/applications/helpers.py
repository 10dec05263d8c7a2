"""Keyword factories and a small client driver for the applicant journey tests."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications import links
from tenants.cohorts.models import Cohort, Course

TODAY = dt.date.today()


def onboard_trust(app, prefix: str, display_name: str, **kwargs):
    """A fresh trust with its default configuration (published rules, a course)."""
    from peerpath import trust_admin
    from tests.conftest import unique_slug

    with app.app_context():
        return trust_admin.onboard(slug=unique_slug(prefix), display_name=display_name,
                                   actor="test", **kwargs)


def onboard_with_leicestershire_form(app, prefix: str, display_name: str):
    """A trust whose live EOI asks Leicestershire's questions (a several-choices one among them)."""
    from tenants.eligibility import defaults
    from tenants.eligibility import service as eligibility

    tenant = onboard_trust(app, prefix, display_name)
    questions, rules = defaults.leicestershire_questions_and_rules()
    with tenant_context(tenant, app):
        eligibility.save_version(db.session, questions, rules, publish=True)
        db.session.commit()
    return tenant


def create_cohort(app, tenant, *, name="Spring intake", opens=-5, closes=20, starts=60,
                  capacity=12) -> int:
    """A cohort whose EOI window is `opens`..`closes` days from today."""
    with tenant_context(tenant, app):
        course = db.session.scalars(select(Course).limit(1)).first()
        cohort = Cohort(course_id=course.id, name=name, capacity=capacity,
                        eoi_opens_on=TODAY + dt.timedelta(days=opens),
                        eoi_closes_on=TODAY + dt.timedelta(days=closes),
                        interview_week_of=TODAY + dt.timedelta(days=closes + 10),
                        starts_on=TODAY + dt.timedelta(days=starts))
        db.session.add(cohort)
        db.session.commit()
        return cohort.id


def csrf_from(response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the form must carry a CSRF token"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None):
    """GET the page for its CSRF token, then POST `data` to it."""
    page = client.get(url)
    return client.post(url, data={**(data or {}), "csrf_token": csrf_from(page)})


# Answers to the generic starting questions (tenants.eligibility.defaults) that pass.
ELIGIBLE_ANSWERS = {"lived_experience": "yes", "available_all_training_days": "yes",
                    "willing_to_share_experience": "yes"}


def start_application(client, tenant, cohort_id, *, name="Alex Example",
                      email="alex@applicant.example"):
    return post_form(client, f"/trusts/{tenant.slug}/apply/{cohort_id}/your-details",
                     {"name": name, "email": email})


def answer_all(client, tenant, answers=ELIGIBLE_ANSWERS):
    base = f"/trusts/{tenant.slug}/apply/step/"
    for key, value in answers.items():
        response = post_form(client, base + key, {"answer": value})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    post_form(client, base + "disability-confident", {"disability_confident": "yes"})
    post_form(client, base + "communication-needs",
              {"easy_read": "yes", "preferred_channel": "email", "texts_ok": "no"})
    return post_form(client, base + "equality-monitoring",
                     {"age_group": "25_34", "gender": "prefer_not_to_say"})


def submit(client, tenant):
    check = client.get(f"/trusts/{tenant.slug}/apply/check-your-answers")
    return client.post(f"/trusts/{tenant.slug}/apply/submit",
                       data={"csrf_token": csrf_from(check)})


def sign_in_link(app, tenant, email: str) -> str:
    """Issue a link the way the sign-in form does, returning the raw token for the test."""
    from tenants.applications.service import find_applicant

    with tenant_context(tenant, app):
        token = links.issue(db.session, find_applicant(db.session, email).id)
        db.session.commit()
        return token


TOKEN_IN_PATH = re.compile(r"/(?:sign-in|invitation|booked|cancel)/([^/?#]+)")


def open_link(client, url: str) -> str:
    """Open a link from a message as a browser does: the first GET exchanges the token in it
    for a grant held in this browser's session and answers 303 to an address without the
    token (peerpath.grants), which this returns, so the test goes on from there."""
    first = client.get(url)
    assert first.status_code == 303, (first.status_code, first.get_data(as_text=True)[:500])
    assert first.headers["Referrer-Policy"] == "no-referrer"
    location = urlsplit(first.headers["Location"]).path
    token = TOKEN_IN_PATH.search(url).group(1)
    assert token not in first.headers["Location"]
    return location


def use_sign_in_link(client, tenant, token: str):
    """Open an e-mailed sign-in link and press its button; returns the answer to the press."""
    page = open_link(client, f"/trusts/{tenant.slug}/account/sign-in/{token}")
    return post_form(client, page)
