"""How the deferral messages in tests/test_message_promises.py come about, and how their
promises are kept: a place accepted on a cohort of its own, deferred through the deferral
service when no later cohort exists, then reinstated when the next cohort is saved the way
the settings page saves one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sqlalchemy import select

from peerpath.datewords import nhs_date
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort, Course
from tenants.training import deferral
from tests.applications.helpers import create_cohort
from tests.config.test_public_page import text_of
from tests.promises_support import Sent, account_page, applicant_at, move, newest

# Each deferral gets a pair of cohorts later than every earlier pair, so its next cohort is
# the one made for it (the trust's cohorts all share one course).
_pairs = itertools.count()


def _deferred_and_reinstated(world, easy_read) -> tuple[int, str, int, int]:
    offset = 900 + 10 * next(_pairs)
    first = create_cohort(world.app, world.trust, name=f"Deferred from {offset}",
                          starts=offset)
    application_id, email = applicant_at(dataclasses.replace(world, cohort_id=first),
                                         "place_offered", easy_read)
    move(world, application_id, "place_accepted")
    today = dt.date.today()
    with world.inside():
        application = db.session.get(Application, application_id)
        deferral.defer(db.session, application, actor="coordinator:test",
                       reason="Asked for the next group")
        course = db.session.scalars(select(Course).limit(1)).first()
        later = cohorts.save_cohort(db.session, {
            "course_id": course.id, "name": f"Next after {offset}", "capacity": 5,
            "eoi_opens_on": today, "eoi_closes_on": today + dt.timedelta(days=30),
            "shortlisting_week_of": None, "interview_week_of": None,
            "starts_on": today + dt.timedelta(days=offset + 5), "posts_advertised": None})
        db.session.commit()
        moved = deferral.latest(db.session, application_id)
        assert moved.to_cohort_id == later.id
        return application_id, email, moved.id, later.id


def reinstated_message(world, easy_read) -> Sent:
    application_id, email, deferral_id, later = _deferred_and_reinstated(world, easy_read)
    row = newest(world, deferral.REINSTATED, related_type="deferral", related_id=deferral_id)
    return Sent(row, email, application_id, extra={"cohort_id": later})


def waiting_message(world, easy_read) -> Sent:
    application_id, _, _, later = _deferred_and_reinstated(world, easy_read)
    row = newest(world, deferral.WAITING, related_type="cohort", related_id=later,
                 recipient_email=world.lead_email)
    return Sent(row, world.lead_email, application_id, extra={"cohort_id": later})


def account_shows_the_new_dates(world, sent):
    """The account shows the place in the new cohort, with its start date."""
    _, page = account_page(world, sent)
    with tenant_context(world.trust, world.app):
        cohort = db.session.get(Cohort, sent.extra["cohort_id"])
        reference = db.session.get(Application, sent.application_id).reference
        name, starts = cohort.name, nhs_date(cohort.starts_on)
    words = text_of(page)
    assert reference in words and name in words and f"Training starts: {starts}" in words


def places_page_lists_them(world, sent):
    """The link opens the cohort's places page, which lists the deferred places."""
    page = world.lead.get(sent.links()[0])
    assert page.status_code == 200, page.status_code
    with tenant_context(world.trust, world.app):
        reference = db.session.get(Application, sent.application_id).reference
    assert "Deferred places in this cohort" in text_of(page) and reference in text_of(page)
