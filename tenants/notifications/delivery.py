"""Delivering the outbox: claim due rows, send them over one connection, record outcomes.

Exactly once, although jobs may run twice: a row is claimed by one UPDATE ... FOR UPDATE
SKIP LOCKED that sets status 'sending', a claim token and a lease. Before each send the
claimant renews its lease (and so proves the row is still its own); after the provider
accepts, the row becomes 'sent' in its own short transaction. A worker that dies leaves its
rows 'sending' until the lease runs out; then the sweeper's job claims them again.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.tenancy import bind_session
from tenants.notifications import keys
from tenants.notifications.models import OutboxMessage
from tenants.notifications.options import dev_mailbox_enabled, option, retry_delays
from tenants.notifications.providers import (
    DeliveryFailure,
    DevMailboxSender,
    NotifySender,
    PermanentFailure,
    SmtpSender,
    TemporaryFailure,
)
from tenants.notifications.service import get_settings, note_for_after_commit
from tenants.notifications.templating import after_quiet_hours

log = logging.getLogger("peerpath.notifications")

# Letters and phone calls are worked by coordinators, never claimed by the worker. A row is
# due by the clock that set its next_attempt_at (the application's, as queue_message and the
# retries compute it), passed as :now; leases are the database's own clock throughout.
DUE = ("channel IN ('email', 'sms') "
       "AND status IN ('created', 'temporary_failure', 'sending') AND next_attempt_at <= :now "
       "AND (status <> 'sending' OR lease_until < now())")

CLAIM = text(f"""
WITH claimed AS (
    UPDATE notification_outbox SET status = 'sending', claim_token = :token,
        attempts = attempts + 1, lease_until = now() + make_interval(secs => :lease)
    WHERE id IN (SELECT id FROM notification_outbox WHERE {DUE}
                 ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED)
    RETURNING *
), events AS (
    INSERT INTO notification_events (outbox_id, status, detail)
    SELECT id, 'sending', 'attempt ' || attempts FROM claimed
)
SELECT * FROM claimed ORDER BY id""")  # noqa: S608 (constant text)

# One short transaction per message: mark the one just accepted as sent, and renew the
# lease of the next (which also proves it is still ours) before it goes out.
SENT_AND_RENEW = text("""
WITH done AS (
    UPDATE notification_outbox SET status = 'sent', provider = :provider, provider_ref = :ref,
        last_error = NULL, claim_token = NULL, lease_until = NULL, sent_at = now()
    WHERE id = :done_id AND claim_token = :token AND status = 'sending' RETURNING id
), events AS (
    INSERT INTO notification_events (outbox_id, status, detail)
    SELECT id, 'sent', CAST(:provider AS varchar) FROM done
), renewed AS (
    UPDATE notification_outbox SET lease_until = now() + make_interval(secs => :lease)
    WHERE id = :next_id AND claim_token = :token AND status = 'sending' RETURNING id
)
SELECT (SELECT count(*) FROM renewed)""")

FINISH = text("""
WITH done AS (
    UPDATE notification_outbox SET status = CAST(:status AS varchar), provider = :provider,
        provider_ref = coalesce(:ref, provider_ref), last_error = :error,
        next_attempt_at = coalesce(:next_at, next_attempt_at), claim_token = NULL,
        lease_until = NULL, attempts = attempts - :refund,
        sent_at = CASE WHEN CAST(:status AS varchar) = 'sent' THEN now() ELSE sent_at END
    WHERE id = :id AND claim_token = :token AND status = 'sending' RETURNING id
)
INSERT INTO notification_events (outbox_id, status, detail)
SELECT id, CAST(:status AS varchar), CAST(:detail AS varchar) FROM done RETURNING outbox_id""")

DUE_SUMMARY = text(f"SELECT min(id), count(*) FROM notification_outbox WHERE {DUE}")  # noqa: S608


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def claim(session, limit: int) -> tuple[str, list]:
    token = secrets.token_hex(16)
    rows = session.execute(CLAIM, {"token": token, "limit": limit, "now": _now(),
                                   "lease": option("NOTIFY_LEASE_SECONDS")}).all()
    session.commit()
    return token, rows


def due_summary(session) -> tuple[int | None, int]:
    first, count = session.execute(DUE_SUMMARY, {"now": _now()}).one()
    session.rollback()
    return first, count


def _finish(session, row, token, status, *, provider=None, ref=None, error=None,
            next_at=None, refund=0, detail=None) -> bool:
    done = session.execute(FINISH, {
        "id": row.id, "token": token, "status": status, "provider": provider, "ref": ref,
        "error": error, "next_at": next_at, "refund": refund, "detail": detail or error,
    }).first()
    return done is not None


class Providers:
    """The trust's senders, opened lazily and closed together at the end of a batch."""

    def __init__(self, session, tenant):
        self.tenant, self.settings = tenant, get_settings(session)
        self.api_key = keys.unseal(self.settings.notify_api_key_sealed)
        self.opened: dict[str, object] = {}

    def _make(self, name: str):
        if name == "notify":
            s = self.settings
            return NotifySender(self.api_key, option("NOTIFY_BASE_URL"),
                                s.notify_email_template_id, s.notify_sms_template_id)
        if name == "smtp":
            return SmtpSender(option("SMTP_URL"), self.tenant, option("MAIL_FROM"))
        return DevMailboxSender(option("DEV_MAILBOX_DIR"), self.tenant, option("MAIL_FROM"))

    def for_channel(self, channel: str):
        s = self.settings
        wanted = s.email_provider if channel == "email" else s.sms_provider
        if wanted == "notify" and self.api_key:
            name = "notify"
        elif channel == "email" and option("SMTP_URL"):
            name = "smtp"
        elif dev_mailbox_enabled():
            name = "devmailbox"
        elif channel == "sms":
            raise PermanentFailure("text messages are not set up for this trust")
        else:
            raise TemporaryFailure("no e-mail provider configured")
        if name not in self.opened:
            self.opened[name] = self._make(name)
        return self.opened[name]

    def close(self) -> None:
        for sender in self.opened.values():
            sender.close()


def fallback_to_sms(session, row, settings) -> bool:
    """After a permanent e-mail failure, a text where the recipient allowed one."""
    if not (row.channel == "email" and row.sms_allowed and row.recipient_phone
            and row.sms_text and settings.sms_fallback and settings.sms_provider != "none"):
        return False
    due = after_quiet_hours(dt.datetime.now(dt.UTC), settings.quiet_hours_start,
                            settings.quiet_hours_end)
    sms = OutboxMessage(
        template_key=row.template_key, variant=row.variant, channel="sms",
        recipient_phone=row.recipient_phone, sms_allowed=True, subject=row.subject,
        body_text=row.body_text, sms_text=row.sms_text, related_type=row.related_type,
        related_id=row.related_id, fallback_of=row.id, next_attempt_at=due)
    session.add(sms)
    session.flush()
    session.execute(text("INSERT INTO notification_events (outbox_id, status, detail) "
                         "VALUES (:id, 'created', :d)"),
                    {"id": sms.id, "d": f"text fallback for message {row.id}"})
    note_for_after_commit(session, session.info["tenant"].slug, sms.id, due)
    return True


def _failed(session, row, token, failure: DeliveryFailure, provider, settings) -> str:
    now = dt.datetime.now(dt.UTC)
    delays = retry_delays()
    if not failure.permanent and row.attempts < option("NOTIFY_MAX_ATTEMPTS"):
        delay = delays[min(row.attempts - 1, len(delays) - 1)] if delays else 60
        next_at = now + dt.timedelta(seconds=delay)
        if row.channel == "sms":
            next_at = after_quiet_hours(next_at, settings.quiet_hours_start,
                                        settings.quiet_hours_end)
        _finish(session, row, token, "temporary_failure", provider=provider,
                error=failure.reason, next_at=next_at)
        note_for_after_commit(session, session.info["tenant"].slug, row.id, next_at)
        return "temporary_failure"
    reason = failure.reason if failure.permanent else \
        f"gave up after {row.attempts} attempts: {failure.reason}"
    if _finish(session, row, token, "permanent_failure", provider=provider, error=reason):
        fallback_to_sms(session, row, settings)
    return "permanent_failure"


def _step(session, token: str, done: tuple | None, next_id: int | None) -> bool:
    """Record `done` (row id, provider, reference) as sent; True if `next_id` is still ours."""
    done_id, provider, ref = done or (None, None, None)
    renewed = session.execute(SENT_AND_RENEW, {
        "token": token, "done_id": done_id, "provider": provider, "ref": ref,
        "next_id": next_id, "lease": option("NOTIFY_LEASE_SECONDS")}).scalar_one()
    session.commit()
    return bool(renewed)


def _hold_for_quiet_hours(session, tenant, token, rows, settings) -> list:
    """Texts claimed during quiet hours go back to wait; the rest are returned."""
    now = dt.datetime.now(dt.UTC)
    resume = after_quiet_hours(now, settings.quiet_hours_start, settings.quiet_hours_end)
    if resume <= now:
        return list(rows)
    ready = []
    for row in rows:
        if row.channel != "sms":
            ready.append(row)
            continue
        _finish(session, row, token, "created", next_at=resume, refund=1,
                detail="held until quiet hours end")
        note_for_after_commit(session, tenant.slug, row.id, resume)
        session.commit()
    return ready


def _send_rows(session, tenant, token: str, ready: list) -> BatchResult:
    """Send rows in order over one set of connections, one short transaction per message."""
    result = BatchResult()
    providers = Providers(session, tenant)
    settings = providers.settings
    session.commit()
    try:
        owned = _step(session, token, None, ready[0].id) if ready else False
        for index, row in enumerate(ready):
            next_id = ready[index + 1].id if index + 1 < len(ready) else None
            if not owned:  # claimed by someone else after our lease ran out
                owned = _step(session, token, None, next_id)
                continue
            provider = None
            try:
                sender = providers.for_channel(row.channel)
                provider = sender.name
                ref = sender.send(row)
            except DeliveryFailure as failure:
                _failed(session, row, token, failure, provider, settings)
                session.commit()
                result.failed += 1
                owned = _step(session, token, None, next_id)
            else:
                owned = _step(session, token, (row.id, provider, ref), next_id)
                result.sent += 1
    finally:
        providers.close()
        session.rollback()
    return result


def _send_rows_on_one_connection(app, tenant, token: str, rows: list) -> BatchResult:
    """Send `rows` with a session of their own that keeps one database connection for the
    whole batch (a short transaction per message, but no pool check-out and ping each)."""
    with app.app_context(), db.engine.connect() as connection, \
            Session(bind=connection) as session:
        bind_session(session, tenant)
        return _send_rows(session, tenant, token, rows)


def send_batch(session, tenant, token: str, rows) -> BatchResult:
    """Send claimed rows; a big batch is split over a few threads, each with its own SMTP
    connection and database connection (sending is waiting, not computing)."""
    settings = get_settings(session)
    ready = _hold_for_quiet_hours(session, tenant, token, rows, settings)
    session.commit()
    threads = max(1, min(option("NOTIFY_SEND_THREADS"), len(ready) // 10))
    app = current_app._get_current_object()
    result = BatchResult()
    with ThreadPoolExecutor(threads, thread_name_prefix="notify") as pool:
        for part in pool.map(lambda part: _send_rows_on_one_connection(app, tenant, token, part),
                             [ready[i::threads] for i in range(threads) if ready]):
            result.sent += part.sent
            result.failed += part.failed
    result.claimed, result.deferred = len(rows), len(rows) - len(ready)
    return result
