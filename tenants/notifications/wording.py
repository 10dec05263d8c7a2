"""The trust's message templates: seeding the defaults, reading, saving, previewing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from peerpath.sanitise import clean_email_html
from tenants.notifications.defaults import MESSAGES, allowed_placeholders
from tenants.notifications.models import MessageTemplate
from tenants.notifications.templating import check_placeholders, render_html, render_text

FIELDS = ("subject", "body_text", "body_html", "sms_text")

# Made-up values for previews: never a real person.
SAMPLE_VALUES = {
    "first_name": "Sam", "reference": "PSW-2026-0042", "cohort_name": "Spring 2026 cohort",
    "session_date": "Tuesday 3 March 2026", "session_time": "10am to 11am",
    "session_place": "Online (the joining link is on your booking page)",
    "interview_date": "Wednesday 15 April 2026", "interview_time": "2pm",
    "interview_place": "Room 2, Recovery College", "training_date": "Monday 4 May 2026",
    "training_time": "9:30am to 4pm", "training_place": "Recovery College",
    "respond_by": "Friday 24 April 2026", "expires_in": "30 minutes", "months": "6",
    "invited_by": "the lead coordinator", "sent_by": "a coordinator",
    "about": "the training place we offered you",
    "starts_on": "Monday 7 September 2026", "count": "2",
}


@dataclass(frozen=True)
class Wording:
    key: str
    variant: str
    subject: str
    body_text: str
    body_html: str | None
    sms_text: str | None


def default_wording(key: str, variant: str = "standard") -> Wording:
    spec = MESSAGES[key][variant]
    return Wording(key, variant, spec["subject"], spec["body_text"], None, spec["sms_text"])


def seed_default_templates(session, tenant=None) -> int:
    """Add every default template the trust lacks (a setup step; idempotent)."""
    rows = [dict(key=key, variant=variant, subject=spec[variant]["subject"],
                 body_text=spec[variant]["body_text"], sms_text=spec[variant]["sms_text"],
                 updated_by="default")
            for key, spec in MESSAGES.items() for variant in ("standard", "easy_read")]
    result = session.execute(insert(MessageTemplate).values(rows)
                             .on_conflict_do_nothing(index_elements=["key", "variant"]))
    return result.rowcount or 0


def get_wording(session, key: str, variant: str = "standard") -> Wording:
    """The trust's wording; Easy Read falls back to standard, a missing row to the default."""
    if key not in MESSAGES:
        raise KeyError(f"no message template {key!r}")
    rows = {t.variant: t for t in session.scalars(
        select(MessageTemplate).where(MessageTemplate.key == key))}
    row = rows.get(variant) or rows.get("standard")
    if row is None:
        return default_wording(key, variant)
    return Wording(key, row.variant, row.subject, row.body_text, row.body_html, row.sms_text)


def list_templates(session) -> list[dict]:
    saved = {(t.key, t.variant): t for t in session.scalars(select(MessageTemplate))}
    return [{"key": key, "name": spec["name"],
             "has_sms": bool(spec["standard"]["sms_text"]),
             "updated_at": getattr(saved.get((key, "standard")), "updated_at", None),
             "customised": any(getattr(saved.get((key, v)), "updated_by", "default")
                               != "default" for v in ("standard", "easy_read"))}
            for key, spec in MESSAGES.items()]


def save_template(session, key: str, variant: str, values: dict, actor: str) -> MessageTemplate:
    """Save edited wording; raises UnknownPlaceholder naming any ((name)) it cannot fill."""
    check_placeholders([values.get(f) for f in FIELDS], allowed_placeholders(key))
    row = session.scalars(select(MessageTemplate).where(
        MessageTemplate.key == key, MessageTemplate.variant == variant)).one_or_none()
    if row is None:
        row = MessageTemplate(key=key, variant=variant)
        session.add(row)
    for field in FIELDS:
        setattr(row, field, values.get(field) or None)
    row.body_html = clean_email_html(row.body_html)  # stored as it will be sent
    row.subject = values.get("subject") or ""
    row.body_text = values.get("body_text") or ""
    row.updated_by, row.updated_at = actor, func.now()
    session.flush()
    return row


def render(wording: Wording, values: dict) -> dict:
    return {
        "subject": render_text(wording.subject, values),
        "body_text": render_text(wording.body_text, values),
        "body_html": render_html(wording.body_html, wording.body_text, values),
        "sms_text": render_text(wording.sms_text, values) if wording.sms_text else None,
    }


def preview(wording: Wording, tenant) -> dict:
    values = {**SAMPLE_VALUES, "trust_name": tenant.display_name,
              "contact_email": tenant.contact_email or "peer-support@trust.example",
              "contact_phone": tenant.contact_phone or "01632 960000"}
    values.update({name: f"https://peerpath.example/{name.replace('_', '-')}"
                   for name in allowed_placeholders(wording.key) if name.endswith("_link")})
    return render(wording, values)
