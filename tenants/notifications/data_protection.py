"""Messages sent (or waiting to be sent) to an applicant, for subject access and erasure:
erasure keeps each row's template, channel, status and dates, removes the recipient and
the words, and withdraws what has not been sent yet."""

from __future__ import annotations

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from tenants.applications.subjects import ERASED, Subject, register_domain
from tenants.notifications.models import OutboxMessage

UNSENT = ("created", "temporary_failure")


def _theirs(subject: Subject):
    return or_(*(and_(OutboxMessage.related_type == kind, OutboxMessage.related_id.in_(ids))
                 for kind, ids in subject.related()))


def report(session: Session, subject: Subject) -> list[dict]:
    return [{"template": m.template_key, "variant": m.variant, "channel": m.channel,
             "status": m.status, "to_email": m.recipient_email, "to_phone": m.recipient_phone,
             "to_address": m.recipient_address,
             "subject": m.subject, "body": m.body_text, "sms": m.sms_text,
             "created_at": m.created_at, "sent_at": m.sent_at,
             "delivered_at": m.delivered_at}
            for m in session.scalars(select(OutboxMessage).where(_theirs(subject))
                                     .order_by(OutboxMessage.id))]


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    if not subject.related():
        return {"messages": 0}
    return {"messages": session.execute(update(OutboxMessage).where(_theirs(subject)).values(
        recipient_email=None, recipient_phone=None, recipient_address=None, subject=ERASED,
        body_text=ERASED, body_html=None, sms_text=None, attachments=[], last_error=None,
        status=case((OutboxMessage.status.in_(UNSENT), "withdrawn"),
                    else_=OutboxMessage.status)).execution_options(synchronize_session=False)
    ).rowcount}


register_domain("messages", report=report, scrub=scrub)
