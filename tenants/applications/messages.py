"""Messages to applicants through the trust's notifications outbox (tenants.notifications).

The outbox row is written in the caller's transaction and sent after commit. Bodies carry
no health data: a first name, the reference number and links to signed-in pages.
"""

from __future__ import annotations

from peerpath.links import external_url
from tenants.applications import links
from tenants.audit.service import record
from tenants.notifications import reach
from tenants.notifications.service import queue_message

ACKNOWLEDGEMENT = "eoi_acknowledgement"
SIGN_IN_LINK = "magic_sign_in_link"
UPDATE = "application_update"


def recipient(applicant) -> dict:
    needs = applicant.communication_needs or {}
    return {"email": applicant.email, "phone": applicant.phone,
            "address": _envelope(applicant),
            "name": (applicant.name or "").split(" ")[0] or None,
            "easy_read": bool(needs.get("easy_read")), "sms_ok": needs.get("texts_ok") == "yes",
            "preferred_channel": {"text": "sms"}.get(needs.get("preferred_channel"), "email")}


def _envelope(applicant) -> str | None:
    """The address block of a letter: their name over their postal address."""
    if not (applicant.postal_address or "").strip():
        return None
    return f"{applicant.name}\n{applicant.postal_address.strip()}"


def reached_by(applicant, settings) -> str:
    """How the trust's messages reach this applicant, in words: the rule used to send them
    (`applicant` may be a row with the same attributes)."""
    return reach.label(reach.reach_channel(recipient(applicant), settings))


def queue(session, template: str, applicant, *, actor: str, application=None, attachments=(),
          not_before=None, **personalisation) -> None:
    queue_message(session, template, recipient(applicant), personalisation,
                  attachments=attachments, not_before=not_before,
                  related=("application", application.id) if application else
                  ("applicant", applicant.id))
    record("message.queued", "applicant", applicant.id, actor=actor,
           detail={"template": template}, session=session)


def send_link(session, applicant, *, actor: str, application=None) -> bool:
    """E-mail a single-use sign-in link (resuming `application` if given); False if the
    applicant has asked for too many links lately."""
    try:
        token = links.issue(session, applicant.id, "continue" if application else "sign_in",
                            application.id if application else None)
    except links.TooManyLinks:
        record("applicant.sign_in_link_limited", "applicant", applicant.id, actor=actor,
               session=session)
        return False
    queue(session, SIGN_IN_LINK, applicant, actor=actor, application=application,
          sign_in_link=external_url("applicant_account.use_link", token=token),
          expires_in="30 minutes")
    return True
