"""Messages go from the outbox to a real SMTP server and a Notify-like API through forking
RQ workers, exactly once."""

from __future__ import annotations

import base64
import datetime as dt
from email.utils import parsedate_to_datetime

import pytest
from rq.job import Job

from peerpath import ics as calendar_files
from peerpath.extensions import db
from peerpath.queue import NOTIFICATIONS, get_queue
from peerpath.tenancy import tenant_context
from tenants.notifications import channels, service
from tenants.notifications.models import OutboxMessage
from tenants.notifications.templating import LONDON
from tests.notifications.conftest import applicant, notify_api_key, statuses, wait_for


@pytest.fixture
def trust(app, make_trust, worker):
    return make_trust(contact_email="peer-support@trust.example", contact_phone="01632 960001")


def queue(app, tenant, key="eoi_acknowledgement", recipient=None, **kwargs) -> int:
    personalisation = kwargs.pop("personalisation", {
        "reference": "PSW-1", "cohort_name": "Spring cohort",
        "sign_in_link": "https://peerpath.example/sign-in"})
    with tenant_context(tenant, app=app):
        row = service.queue_message(db.session, key, recipient or applicant(1),
                                    personalisation, **kwargs)
        db.session.commit()
        return row.id


def use_notify_for_sms(app, tenant, **settings):
    with tenant_context(tenant, app=app):
        channels.update_settings(db.session, sms_provider="notify",
                                 notify_api_key=notify_api_key(),
                                 notify_sms_template_id="f33517ff-2a88-4f6e-b855-c550268ce08a",
                                 **settings)
        db.session.commit()


def test_a_message_reaches_the_smtp_server_with_the_right_content(app, trust, smtp_server):
    handler, _ = smtp_server
    start = dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)
    ics = calendar_files.attachment(calendar_files.build([calendar_files.CalendarEntry(
        uid="dropin-7@peerpath.example", summary="Drop-in session", start=start,
        end=start + dt.timedelta(hours=1))]), "invite.ics")
    row_id = queue(app, trust, "dropin_booking_confirmation", applicant(1, name="Robin"),
                   personalisation={"session_date": "Tuesday 3 March 2026",
                                    "session_time": "10am", "session_place": "Online",
                                    "manage_link": "https://peerpath.example/b/7"},
                   attachments=[ics], related=("booking", 7))
    message = wait_for(lambda: handler.for_trust(trust.slug))[0]
    assert message["To"] == "applicant-1@example.test"
    assert message["Subject"] == "Your place at a peer support drop-in session"
    assert message["Reply-To"] == "peer-support@trust.example"
    assert message["Message-ID"] == f"<outbox-{row_id}.{trust.slug}@peerpath.example>"
    assert message["Date"].endswith("+0000"), message["Date"]  # not "-0000" (zone unknown)
    sent_at = parsedate_to_datetime(message["Date"])
    assert sent_at.tzinfo is not None
    assert abs(sent_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    text = message.get_body(("plain",)).get_content()
    assert "Hello Robin" in text and "Tuesday 3 March 2026" in text and "((" not in text
    assert '<a href="https://peerpath.example/b/7">' in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert b"BEGIN:VEVENT" in attachment.get_content().encode() or \
        b"BEGIN:VEVENT" in base64.b64decode(ics["content_b64"])
    wait_for(lambda: statuses(app, trust)[row_id] == "sent")


def test_a_duplicate_enqueue_sends_once(app, trust, smtp_server, redis_conn):
    handler, _ = smtp_server
    row_id = queue(app, trust)
    queue_ = get_queue(NOTIFICATIONS, redis_conn)
    for n in range(3):  # the same row enqueued again and again, by hand and by the sweeper
        queue_.enqueue("worker.jobs.deliver", trust.slug, row_id, job_id=f"dup-{row_id}-{n}")
        service.wake(redis_conn, trust.slug, row_id, tag="again")
        queue_.enqueue("worker.jobs.sweep")
    wait_for(lambda: statuses(app, trust)[row_id] == "sent")
    jobs = [Job.fetch(f"dup-{row_id}-{n}", connection=redis_conn) for n in range(3)]
    wait_for(lambda: all(job.get_status(refresh=True) == "finished" for job in jobs))
    assert len(handler.for_trust(trust.slug)) == 1


def test_a_rolled_back_transaction_sends_nothing(app, trust, smtp_server, redis_conn):
    handler, _ = smtp_server
    with tenant_context(trust, app=app):
        service.queue_message(db.session, "test_message", applicant(2),
                              {"sent_by": "a test"})
        db.session.rollback()
    get_queue(NOTIFICATIONS, redis_conn).enqueue("worker.jobs.sweep")
    sent = queue(app, trust, "test_message", applicant(3), personalisation={"sent_by": "x"})
    wait_for(lambda: statuses(app, trust) == {sent: "sent"})
    assert [m["To"] for m in handler.for_trust(trust.slug)] == ["applicant-3@example.test"]


def test_a_temporary_failure_is_retried_with_backoff(app, trust, smtp_server):
    handler, _ = smtp_server
    row_id = queue(app, trust, recipient=applicant(4, domain="busy.test"))
    wait_for(lambda: statuses(app, trust)[row_id] == "sent")
    with tenant_context(trust, app=app):
        row = db.session.get(OutboxMessage, row_id)
        assert row.attempts == 2 and row.last_error is None
    assert len(handler.for_trust(trust.slug)) == 1


def test_a_permanent_email_failure_falls_back_to_a_text(app, trust, notify_server):
    received, _ = notify_server
    use_notify_for_sms(app, trust, quiet_hours_start=dt.time(0), quiet_hours_end=dt.time(0))
    row_id = queue(app, trust, recipient=applicant(5, domain="reject.test",
                                                   phone="07700900123", sms_ok=True))
    wait_for(lambda: len(statuses(app, trust)) == 2 and
             sorted(statuses(app, trust).values()) == ["permanent_failure", "sent"])
    texts = [r for r in received if r.get("phone_number") == "07700900123"]
    assert len(texts) == 1 and "PSW-1" in texts[0]["personalisation"]["body"]
    with tenant_context(trust, app=app):
        failed = db.session.get(OutboxMessage, row_id)
        assert failed.last_error == "SMTP 550"


def test_texts_wait_for_the_end_of_quiet_hours(app, trust, notify_server, redis_conn):
    received, _ = notify_server
    now = dt.datetime.now(dt.UTC)
    # Quiet hours from an hour ago to two hours ahead (in UK time) cover now.
    local = dt.datetime.now(LONDON)
    start, end = (local - dt.timedelta(hours=1)).time(), (local + dt.timedelta(hours=2)).time()
    use_notify_for_sms(app, trust, quiet_hours_start=start.replace(second=0, microsecond=0),
                       quiet_hours_end=end.replace(second=0, microsecond=0))
    row_id = queue(app, trust, recipient={"phone": "07700900456", "sms_ok": True,
                                          "preferred_channel": "sms"})
    with tenant_context(trust, app=app):
        row = db.session.get(OutboxMessage, row_id)
        assert row.channel == "sms" and row.next_attempt_at > now + dt.timedelta(minutes=50)
    get_queue(NOTIFICATIONS, redis_conn).enqueue("worker.jobs.sweep")
    get_queue(NOTIFICATIONS, redis_conn).enqueue("worker.jobs.deliver", trust.slug, row_id)
    wait_for(lambda: get_queue(NOTIFICATIONS, redis_conn).count == 0)
    assert statuses(app, trust)[row_id] == "created"
    assert not [r for r in received if r.get("phone_number") == "07700900456"]


def test_a_suspended_trusts_messages_wait_until_it_is_resumed(app, trust, smtp_server, cli):
    handler, _ = smtp_server
    assert cli("trusts", "suspend", trust.slug).exit_code == 0
    with tenant_context(trust, app=app):  # a change made just before the suspension
        service.queue_message(db.session, "test_message", applicant(6), {"sent_by": "x"})
        db.session.commit()
    with pytest.raises(AssertionError):
        wait_for(lambda: handler.for_trust(trust.slug), timeout=2.5)
    assert cli("trusts", "resume", trust.slug).exit_code == 0
    assert wait_for(lambda: handler.for_trust(trust.slug))
