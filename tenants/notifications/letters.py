"""Letters and phone calls: the outbox rows for people with no e-mail address and no texts.

The worker never sends these (delivery.DUE claims e-mail and text rows only). They wait on
the coordinators' "Letters and calls" page: a letter is printed from its own page (the
trust's address, the applicant's address, the date and the same words an e-mail would
carry, so no health data) and marked as posted; a call is made and marked as done. Each of
those steps is audited and added to the row's delivery history, and a row moves to "sent"
once, whoever presses the button first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from tenants.audit.service import record
from tenants.notifications.models import STAFF_CHANNELS, DeliveryEvent, OutboxMessage
from tenants.notifications.service import get_settings

DONE_BY = {"letter": ("post", "posted by a coordinator", "letter.posted"),
           "phone": ("phone", "phoned by a coordinator", "phone_call.made")}
RECENT = 20
POSTING_TIME = dt.timedelta(days=2)


def due_by(channel: str, now: dt.datetime) -> dt.datetime:
    """A letter is due this long before its send time (the post takes days); a call on
    the day itself (a reminder call belongs the day before the session, not weeks ahead)."""
    return now + POSTING_TIME if channel == "letter" else now


def waiting(session, now: dt.datetime | None = None) -> dict[str, dict[str, list]]:
    """Per channel: rows due now ("due", oldest first) and rows due later ("later")."""
    now = now or dt.datetime.now(dt.UTC)
    rows = session.scalars(select(OutboxMessage).where(
        OutboxMessage.channel.in_(STAFF_CHANNELS), OutboxMessage.status == "created")
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)).all()
    found = {channel: {"due": [], "later": []} for channel in STAFF_CHANNELS}
    for row in rows:
        when = "due" if row.next_attempt_at <= due_by(row.channel, now) else "later"
        found[row.channel][when].append(row)
    return found


def recently_done(session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.channel.in_(STAFF_CHANNELS), OutboxMessage.status == "sent")
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc()).limit(RECENT)))


def get(session, message_id: int) -> OutboxMessage | None:
    row = session.get(OutboxMessage, message_id)
    return row if row is not None and row.channel in STAFF_CHANNELS else None


def letter_page(session, row: OutboxMessage, *, actor: str) -> dict:
    """What the printable page shows; opening it is audited (it shows an address)."""
    record("letter.viewed", "notification", row.id, actor=actor, session=session)
    return {"row": row, "trust_address": get_settings(session).letter_address,
            "dated": dt.date.today(), "recipient_lines": _lines(row.recipient_address),
            "paragraphs": [p for p in (row.body_text or "").split("\n\n") if p.strip()]}


def mark_done(session, row: OutboxMessage, *, actor: str) -> bool:
    """The letter is posted or the call made; False if it was done (or withdrawn) already."""
    provider, detail, action = DONE_BY[row.channel]
    changed = session.execute(update(OutboxMessage).where(
        OutboxMessage.id == row.id, OutboxMessage.status == "created").values(
        status="sent", provider=provider, sent_at=dt.datetime.now(dt.UTC),
        attempts=OutboxMessage.attempts + 1).execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        session.add(DeliveryEvent(outbox_id=row.id, status="sent", detail=detail))
        record(action, "notification", row.id, actor=actor,
               detail={"template": row.template_key}, session=session)
    session.expire(row)
    return bool(changed)


def _lines(address: str | None) -> list[str]:
    return [line.strip() for line in (address or "").splitlines() if line.strip()]


def save_trust_address(session, address: str, *, actor: str) -> None:
    get_settings(session).letter_address = address
    session.flush()
    record("letter.trust_address_changed", "notification_settings", 1, actor=actor,
           session=session)
