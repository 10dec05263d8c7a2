"""Sending messages: the one call other domains make, and the outbox's life cycle.

How to send a message from any domain (inside the trust's transaction)::

    from tenants.notifications.service import queue_message

    queue_message(
        db.session, "eoi_acknowledgement",
        recipient={"email": ..., "phone": ..., "name": first_name,
                   "easy_read": needs.easy_read, "sms_ok": needs.texts_ok,
                   "preferred_channel": "email", "address": postal_address},
        personalisation={"reference": app.reference, "cohort_name": cohort.name,
                         "sign_in_link": external_url(...)},
        related=("application", app.id),
        attachments=[peerpath.ics.attachment(...)],   # optional: a calendar file
        not_before=start - timedelta(hours=24),  # optional: a reminder
    )
    db.session.commit()

It renders the trust's template (Easy Read when the recipient asks for it) and writes an
outbox row in the caller's transaction; nothing is sent unless that transaction commits.
The row's channel follows tenants.notifications.reach: e-mail, a text, or, for people with
neither, a letter ("address" is the envelope's lines) or a phone call, which coordinators
work from the Letters and calls page (tenants.notifications.letters), not the worker.
After the commit the row is enqueued (trust slug + row id only); a sweeper re-enqueues
anything still pending every minute. Personalisation must hold no health data: link to a
signed-in page instead. Template keys and their placeholders are in defaults.MESSAGES;
add a key there (with default wording) for a new message.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from flask import current_app, has_app_context
from rq.exceptions import DuplicateJobError
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from peerpath.queue import JOB_DEFAULTS, NOTIFICATIONS, enqueue, get_queue
from tenants.notifications import wording
from tenants.notifications.defaults import allowed_placeholders
from tenants.notifications.models import (
    STAFF_CHANNELS,
    ChannelSettings,
    DeliveryEvent,
    OutboxMessage,
)
from tenants.notifications.reach import reach_channel
from tenants.notifications.templating import after_quiet_hours

log = logging.getLogger("peerpath.notifications")

DELIVER_JOB = "worker.jobs.deliver"
WAKE_TTL = 120  # seconds a "job already queued for this trust" marker lives
PAGE_SIZE = 50


class NoRecipientAddress(ValueError):
    """No e-mail address, phone number or postal address: no way to reach the person."""


def get_settings(session) -> ChannelSettings:
    settings = session.get(ChannelSettings, 1)
    if settings is None:
        settings = ChannelSettings(id=1)
        session.add(settings)
        session.flush()
    return settings


def seed_notification_defaults(session, tenant=None) -> None:
    """Setup step for new trusts (and the demo seed): default templates and settings."""
    wording.seed_default_templates(session, tenant)
    get_settings(session)


def queue_message(session, template_key: str, recipient: dict,
                  personalisation: dict | None = None, *, attachments=(),
                  related: tuple[str, object] | None = None,
                  not_before: dt.datetime | None = None) -> OutboxMessage:
    """Write one message to the outbox in the caller's transaction (see module docs)."""
    tenant = session.info["tenant"]
    personalisation = dict(personalisation or {})
    unknown = set(personalisation) - set(allowed_placeholders(template_key))
    if unknown:
        raise ValueError(f"{template_key} has no placeholders {sorted(unknown)}")
    variant = "easy_read" if recipient.get("easy_read") else "standard"
    chosen = wording.get_wording(session, template_key, variant)
    settings = get_settings(session)
    channel = reach_channel(recipient, settings, bool(chosen.sms_text))
    if channel is None:
        raise NoRecipientAddress("the recipient has no e-mail, phone or postal address")
    values = {"first_name": recipient.get("name") or "there", "trust_name": tenant.display_name,
              "contact_email": tenant.contact_email or "", "contact_phone":
              tenant.contact_phone or "", **personalisation}
    rendered = wording.render(chosen, values)
    now = dt.datetime.now(dt.UTC)
    due = max(not_before or now, now)
    if channel == "sms":
        due = after_quiet_hours(due, settings.quiet_hours_start, settings.quiet_hours_end)
    row = OutboxMessage(
        template_key=template_key, variant=chosen.variant, channel=channel,
        recipient_email=recipient.get("email"), recipient_phone=recipient.get("phone"),
        recipient_address=recipient.get("address") if channel == "letter" else None,
        sms_allowed=bool(recipient.get("sms_ok")), attachments=list(attachments),
        related_type=related[0] if related else None,
        related_id=str(related[1]) if related else None, next_attempt_at=due, **rendered)
    session.add(row)
    session.flush()
    session.add(DeliveryEvent(outbox_id=row.id, status="created"))
    if channel not in STAFF_CHANNELS:  # letters and calls wait for a coordinator
        note_for_after_commit(session, tenant.slug, row.id, due)
    return row


def note_for_after_commit(session, slug: str, row_id: int, due: dt.datetime) -> None:
    redis = current_app.extensions["redis"] if has_app_context() else None
    session.info.setdefault("notify_wake", []).append((redis, slug, row_id, due))


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session) -> None:
    for redis, slug, row_id, due in session.info.pop("notify_wake", ()):
        try:
            if due > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1):
                schedule(redis, slug, row_id, due)
            else:
                wake(redis, slug, row_id, tag=f"at{int(due.timestamp())}")
        except Exception:  # Redis down: the sweeper will find the row
            log.warning("enqueue after commit failed; the sweeper will retry",
                        extra={"trust": slug, "event": "notify.enqueue_failed"})


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session) -> None:
    session.info.pop("notify_wake", None)


def wake_key(slug: str) -> str:
    return f"peerpath:notify:wake:{slug}"


def wake(redis, slug: str, row_id: int, tag: str = "new", *, repair: bool = False) -> bool:
    """Make sure a delivery job for this trust is queued; True if this call queued it.

    The marker is deleted by the job before it claims rows, so every row committed before
    that moment is claimed by it, and every row committed after queues a new job. The job
    id is deterministic (trust, row, why), so the same wake-up twice is one job.

    The marker names its job. The sweeper passes `repair`: a marker whose job is neither
    waiting in the queue nor running was lost (a worker killed while blocked on the queue
    can take the next job with it, through a connection its child processes still hold),
    and is replaced at once instead of holding the trust's messages back for WAKE_TTL.
    """
    job_id = f"notify-{slug}-{row_id}-{tag}"
    if not redis.set(wake_key(slug), job_id, nx=True, ex=WAKE_TTL):
        if not (repair and _lost(redis, slug)):
            return False
        redis.set(wake_key(slug), job_id, ex=WAKE_TTL)
    try:
        enqueue(DELIVER_JOB, slug, row_id, queue=NOTIFICATIONS, connection=redis,
                job_id=job_id, unique=True, retry=None, job_options={"result_ttl": 0})
    except DuplicateJobError:
        redis.delete(wake_key(slug))
        return False
    return True


def _lost(redis, slug: str) -> bool:
    """Whether the trust's marker names a job that is neither queued nor running."""
    from rq.registry import StartedJobRegistry

    named = redis.get(wake_key(slug))
    if named is None:
        return True  # the job ran meanwhile and took the marker: wake again
    job_id = named.decode() if isinstance(named, bytes) else str(named)
    queue = get_queue(NOTIFICATIONS, redis)
    return (redis.lpos(queue.key, job_id) is None and
            job_id not in StartedJobRegistry(queue=queue).get_job_ids())


def schedule(redis, slug: str, row_id: int, due: dt.datetime) -> None:
    """A job at `due` for a row that must wait (a reminder, a retry, quiet hours)."""
    with contextlib.suppress(DuplicateJobError):
        get_queue(NOTIFICATIONS, redis).enqueue_at(
            due, DELIVER_JOB, slug, row_id, unique=True,
            job_id=f"notify-{slug}-{row_id}-t{int(due.timestamp())}",
            **{**JOB_DEFAULTS, "result_ttl": 0})


# --- the coordinators' view of the outbox ------------------------------------------------

def list_messages(session, status: str | None = None, page: int = 1,
                  related: tuple[str, object] | None = None) -> tuple[list, int]:
    query = select(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    if related:
        query = query.where(OutboxMessage.related_type == related[0],
                            OutboxMessage.related_id == str(related[1]))
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(OutboxMessage.id.desc())
                           .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return rows, total


def status_counts(session) -> dict[str, int]:
    return dict(session.execute(select(OutboxMessage.status, func.count())
                                .group_by(OutboxMessage.status)).all())


def retry(session, message_id: int) -> bool:
    """Send a failed message again (coordinator action); False if it had not failed."""
    now = dt.datetime.now(dt.UTC)
    changed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               OutboxMessage.status.in_(("temporary_failure", "permanent_failure")))
        .values(status="created", attempts=0, next_attempt_at=now, last_error=None,
                claim_token=None, lease_until=None)).rowcount
    if changed:
        session.add(DeliveryEvent(outbox_id=message_id, status="created",
                                  detail="retried by a coordinator"))
        note_for_after_commit(session, session.info["tenant"].slug, message_id, now)
    return bool(changed)


def withdraw_unsent(session, template_key: str, related: tuple[str, object]) -> int:
    """Take back messages not yet picked up by a worker (e.g. the reminder of a booking
    that was cancelled): they become "withdrawn", with an event in their history. A row a
    worker has claimed, or holds locked right now, is left to finish."""
    ids = session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.template_key == template_key,
        OutboxMessage.related_type == related[0],
        OutboxMessage.related_id == str(related[1]),
        OutboxMessage.status == "created",
        OutboxMessage.claim_token.is_(None),
    ).with_for_update(skip_locked=True)).all()
    if ids:
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                        .values(status="withdrawn"))
        session.add_all(DeliveryEvent(outbox_id=i, status="withdrawn") for i in ids)
    return len(ids)
