"""A real forking worker sends an interview reminder when it falls due, and never sends one
taken back by a cancelled booking."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.interviews import service as interviews
from tenants.interviews.models import InterviewSlot
from tests.applications.helpers import create_cohort
from tests.notifications.conftest import statuses, wait_for
from tests.workspace.helpers import make_application

REMINDER_SUBJECT = "Reminder: your interview is tomorrow"


@pytest.fixture
def trust(app, make_trust, worker):
    return make_trust(contact_email="peer-support@trust.example")


def book(app, trust, application_id: int, slot_id: int, *, cancel: bool = False) -> None:
    with app.test_request_context(), tenant_context(trust, app):
        application = db.session.get(Application, application_id)
        interviews.book(db.session, application, slot_id, actor="test")
        if cancel:
            interviews.cancel(db.session, application, actor="test")
        db.session.commit()


def test_a_due_reminder_reaches_the_smtp_server_and_a_withdrawn_one_never_does(
        app, trust, smtp_server):
    handler, _ = smtp_server
    cohort = create_cohort(app, trust, name="Worker intake")
    # Interviews 24 hours and 3 seconds away: their reminders fall due in 3 seconds.
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(hours=24, seconds=3)
    with tenant_context(trust, app):
        slots = [InterviewSlot(cohort_id=cohort, starts_at=starts, place="Room 1",
                               ends_at=starts + dt.timedelta(hours=1)) for _ in range(2)]
        db.session.add_all(slots)
        db.session.commit()
        slot_ids = [s.id for s in slots]
    kept = make_application(app, trust, cohort, stage="interview_invited",
                            email="kept@applicant.example")
    dropped = make_application(app, trust, cohort, stage="interview_invited",
                               email="dropped@applicant.example")
    book(app, trust, kept, slot_ids[0])
    book(app, trust, dropped, slot_ids[1], cancel=True)

    def reminders_to(address):
        return [m for m in handler.for_trust(trust.slug)
                if m["Subject"] == REMINDER_SUBJECT and m["To"] == address]

    [reminder] = wait_for(lambda: reminders_to("kept@applicant.example"))
    assert "Room 1" in reminder.get_body(("plain",)).get_content()
    time.sleep(2)  # two more sweeps: the withdrawn row stays unsent
    assert reminders_to("dropped@applicant.example") == []
    assert list(statuses(app, trust).values()).count("withdrawn") == 1
    # Its confirmation, then its cancellation (which takes the calendar entry away).
    def to_dropped():
        sent = [m["Subject"] for m in handler.for_trust(trust.slug)
                if m["To"] == "dropped@applicant.example"]
        return sorted(sent) if len(sent) >= 2 else None

    assert wait_for(to_dropped) == ["Your interview is booked", "Your interview is cancelled"]
