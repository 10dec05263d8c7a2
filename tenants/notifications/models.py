"""The trust's outbox, message templates, delivery events and provider settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

# Delivery status of one message, as coordinators see it.
STATUSES = ("created", "sending", "sent", "delivered", "temporary_failure",
            "permanent_failure", "withdrawn")
# Letters and phone calls are worked by coordinators (the "Letters and calls" page), not
# by the worker: they are for people with no e-mail address and no texts.
CHANNELS = ("email", "sms", "letter", "phone")
STAFF_CHANNELS = ("letter", "phone")
VARIANTS = ("standard", "easy_read")
EMAIL_PROVIDERS = ("smtp", "notify")
SMS_PROVIDERS = ("none", "notify")


class OutboxMessage(TenantBase):
    """One message to send, written in the same transaction as the change that caused it.

    Bodies are rendered when queued and hold no health data (messages link to signed-in
    pages instead). The worker claims rows with a status guard and a lease, so a message is
    handed to its provider once even when jobs run twice or a worker dies.
    """

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    template_key: Mapped[str] = mapped_column(String(60))
    variant: Mapped[str] = mapped_column(String(20), default="standard")
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="created",
                                        server_default="created")
    recipient_email: Mapped[str | None] = mapped_column(String(320))
    recipient_phone: Mapped[str | None] = mapped_column(String(40))
    recipient_address: Mapped[str | None] = mapped_column(Text)  # letters only
    sms_allowed: Mapped[bool] = mapped_column(Boolean, default=False,
                                              server_default=text("false"))
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    sms_text: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list] = mapped_column(JSONB, default=list, server_default="[]")
    related_type: Mapped[str | None] = mapped_column(String(40))
    related_id: Mapped[str | None] = mapped_column(String(60))
    fallback_of: Mapped[int | None] = mapped_column(ForeignKey("notification_outbox.id"))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = utcnow_column()
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_ref: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = utcnow_column()
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('created', 'sending', 'sent', 'delivered', "
                        "'temporary_failure', 'permanent_failure', 'withdrawn')",
                        name="status"),
        CheckConstraint("channel IN ('email', 'sms', 'letter', 'phone')", name="channel"),
        Index("ix_notification_outbox_due", "next_attempt_at",
              postgresql_where=text("status IN ('created', 'sending', 'temporary_failure')")),
        Index("ix_notification_outbox_related", "related_type", "related_id"),
        Index("ix_notification_outbox_status", "status", "id"),
    )


class DeliveryEvent(TenantBase):
    """What happened to a message, in order (append-only; ids and outcomes only)."""

    __tablename__ = "notification_events"
    __table_args__ = {"info": {"append_only": True}}

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("notification_outbox.id"), index=True)
    at: Mapped[dt.datetime] = utcnow_column()
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(300))


class MessageTemplate(TenantBase):
    """The trust's wording of one message, in its standard or Easy Read variant."""

    __tablename__ = "notification_templates"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(60))
    variant: Mapped[str] = mapped_column(String(20), default="standard")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    sms_text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = utcnow_column()
    updated_by: Mapped[str | None] = mapped_column(String(340))

    __table_args__ = (
        UniqueConstraint("key", "variant"),
        CheckConstraint("variant IN ('standard', 'easy_read')", name="variant"),
    )


class ChannelSettings(TenantBase):
    """The trust's providers (one row). The Notify key is stored sealed, never logged."""

    __tablename__ = "notification_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    email_provider: Mapped[str] = mapped_column(String(20), default="smtp",
                                                server_default="smtp")
    sms_provider: Mapped[str] = mapped_column(String(20), default="none",
                                              server_default="none")
    notify_api_key_sealed: Mapped[str | None] = mapped_column(Text)
    notify_email_template_id: Mapped[str | None] = mapped_column(String(36))
    notify_sms_template_id: Mapped[str | None] = mapped_column(String(36))
    callback_token_hash: Mapped[str | None] = mapped_column(String(64))
    quiet_hours_start: Mapped[dt.time] = mapped_column(Time, default=dt.time(21, 0),
                                                       server_default="21:00")
    quiet_hours_end: Mapped[dt.time] = mapped_column(Time, default=dt.time(8, 0),
                                                     server_default="08:00")
    sms_fallback: Mapped[bool] = mapped_column(Boolean, default=True,
                                               server_default=text("true"))
    letter_address: Mapped[str | None] = mapped_column(Text)  # printed at the top of letters
    updated_at: Mapped[dt.datetime] = utcnow_column()

    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("email_provider IN ('smtp', 'notify')", name="email_provider"),
        CheckConstraint("sms_provider IN ('none', 'notify')", name="sms_provider"),
    )
