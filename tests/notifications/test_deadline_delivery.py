"""The daily deadline job in a real forking worker: an offer past its reply-by date lapses,
the applicant is told kindly, the next person on the waiting list is offered the place, and
both messages reach the SMTP server once."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from peerpath.extensions import db
from peerpath.queue import enqueue
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tests.applications.helpers import create_cohort
from tests.notifications.conftest import wait_for
from tests.workspace.helpers import make_application, stage_of

LAPSED_SUBJECT = "We did not hear from you"  # Easy Read, as the applicants asked
OFFER_SUBJECT = "We have a training place for you"


@pytest.fixture(scope="module")
def worker(start_worker):
    """A worker that sweeps every 5 s, not every second. The deadline job goes to the default
    queue, which a worker serves only when the notifications queue is empty; late in the suite,
    with hundreds of trusts in the test database, one-second sweeps (each visiting every trust)
    and other tests' waiting messages kept that queue from ever emptying, and the job waited
    past the test's minute."""
    return start_worker(NOTIFY_SWEEP_SECONDS="5")


@pytest.fixture
def trust(app, make_trust, worker):
    return make_trust(contact_email="peer-support@trust.example")


def test_the_worker_lapses_an_overdue_offer_and_both_people_hear_once(app, trust, smtp_server):
    handler, _ = smtp_server
    cohort = create_cohort(app, trust, name="Deadline intake", capacity=1)
    waiting = make_application(app, trust, cohort, stage="waiting_list",
                               email="next@applicant.example")
    offered = make_application(app, trust, cohort, stage="place_offered",
                               email="quiet@applicant.example")
    with tenant_context(trust, app):
        db.session.get(Application, offered).reply_by = dt.date.today() - dt.timedelta(days=1)
        db.session.commit()

    with app.app_context():
        for _ in range(2):  # a second run the same day finds nothing left to lapse
            enqueue("worker.deadlines.run_deadlines", trust.slug,
                    job_id=f"deadlines-{trust.slug}-test")

    def subjects_to(address):
        return [m["Subject"] for m in handler.for_trust(trust.slug) if m["To"] == address]

    assert wait_for(lambda: subjects_to("quiet@applicant.example")) == \
        [LAPSED_SUBJECT]
    assert wait_for(lambda: subjects_to("next@applicant.example")) == \
        [OFFER_SUBJECT]
    assert stage_of(app, trust, offered) == "withdrawn"
    assert stage_of(app, trust, waiting) == "place_offered"
    [lapsed] = [m for m in handler.for_trust(trust.slug) if m["To"] == "quiet@applicant.example"]
    assert "This is OK. You can apply again." in lapsed.get_body(("plain",)).get_content()
    time.sleep(2)  # more sweeps: nothing is sent twice
    assert subjects_to("quiet@applicant.example") == [LAPSED_SUBJECT]
    assert subjects_to("next@applicant.example") == [OFFER_SUBJECT]
