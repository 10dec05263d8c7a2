"""Messages to applicants, queued through the trust's notifications outbox (issue 5).

Bodies carry no personal or health data: a greeting, the reference number and links.
The outbox row is written in the caller's transaction and sent after commit.
"""

from __future__ import annotations

from tenants.audit.service import record

try:  # the notifications domain, once merged
    from tenants.notifications import service as notifications
except ImportError:  # pragma: no cover - depends on merge state
    notifications = None

ACKNOWLEDGEMENT = "application_received"
SIGN_IN_LINK = "applicant_sign_in_link"
CONTINUE_LINK = "application_continue_link"
WITHDRAWN = "application_withdrawn"


def queue(session, template: str, applicant, *, actor: str, **values) -> None:
    """Queue `template` for `applicant` by e-mail; `values` fill the template (ids, links)."""
    if notifications is not None:
        notifications.queue_message(session, template=template, recipient_email=applicant.email,
                                    values=values, applicant_id=applicant.id)
    record("message.queued", "applicant", applicant.id, actor=actor,
           detail={"template": template}, session=session)
