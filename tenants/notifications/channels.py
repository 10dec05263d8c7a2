"""The trust's provider settings and the Notify delivery-receipt callback."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from sqlalchemy import func, select

from peerpath.refusal import Refused
from tenants.audit.service import record
from tenants.notifications import keys
from tenants.notifications.delivery import fallback_to_sms
from tenants.notifications.models import ChannelSettings, DeliveryEvent, OutboxMessage
from tenants.notifications.schemas import KEY_NEEDED
from tenants.notifications.service import get_settings

SETTABLE = ("email_provider", "sms_provider", "notify_email_template_id",
            "notify_sms_template_id", "quiet_hours_start", "quiet_hours_end", "sms_fallback")

# Notify's callback statuses -> ours.
RECEIPT_STATUS = {"delivered": "delivered", "permanent-failure": "permanent_failure",
                  "temporary-failure": "temporary_failure",
                  "technical-failure": "temporary_failure"}


def update_settings(session, *, notify_api_key: str | None = None, **values) -> ChannelSettings:
    """Change providers; a new Notify key is sealed at once and never read back out."""
    settings = get_settings(session)
    for name, value in values.items():
        if name not in SETTABLE:
            raise ValueError(f"unknown setting {name}")
        setattr(settings, name, value)
    if notify_api_key:
        settings.notify_api_key_sealed = keys.seal(notify_api_key)
    settings.updated_at = func.now()
    session.flush()
    return settings


def save_provider_settings(session, values: dict, actor: str | None = None) -> list[str]:
    """Apply a lead's choice of providers, with an audit entry naming what changed (names
    only: neither the key nor anything else secret is repeated there)."""
    settings = get_settings(session)
    new_key = values.get("notify_api_key")
    notify_used = "notify" in (values.get("email_provider"), values.get("sms_provider"))
    if notify_used and not (new_key or has_notify_key(settings)):
        raise Refused({"notify_api_key": KEY_NEEDED})
    changed = {name: values[name] for name in SETTABLE
               if name in values and getattr(settings, name) != values[name]}
    update_settings(session, notify_api_key=new_key, **changed)
    names = sorted(changed) + (["notify_api_key"] if new_key else [])
    record("notifications.settings_changed", "notification_settings", 1, actor=actor,
           session=session, detail={"changed": names, "email_provider": settings.email_provider,
                                    "sms_provider": settings.sms_provider})
    return names


def has_notify_key(settings: ChannelSettings) -> bool:
    return bool(settings.notify_api_key_sealed)


def issue_callback_token(session) -> str:
    """A new bearer token for Notify's delivery receipts (shown once; its hash is kept)."""
    token = "ppcb_" + secrets.token_urlsafe(32)
    get_settings(session).callback_token_hash = keys.token_hash(token)
    session.flush()
    return token


def callback_token_ok(session, token: str) -> bool:
    expected = get_settings(session).callback_token_hash
    return bool(expected and token) and hmac.compare_digest(expected, keys.token_hash(token))


def record_receipt(session, reference: str, notify_id: str, status: str) -> bool:
    """Apply one delivery receipt; False when it names no message of this trust."""
    ours = RECEIPT_STATUS.get(status)
    if ours is None or not str(reference).isdigit():
        return False
    row = session.scalars(select(OutboxMessage).where(
        OutboxMessage.id == int(reference), OutboxMessage.provider == "notify",
        OutboxMessage.provider_ref == notify_id).with_for_update()).one_or_none()
    if row is None:
        return False
    if row.status in ("sent", "temporary_failure", "delivered"):
        row.status = ours
        if ours == "delivered":
            row.delivered_at = dt.datetime.now(dt.UTC)
        else:
            row.last_error = f"Notify {status}"
        session.add(DeliveryEvent(outbox_id=row.id, status=ours, detail=f"Notify {status}"))
        if ours == "permanent_failure":
            session.flush()
            fallback_to_sms(session, row, get_settings(session))
    return True
