"""Which channel reaches a person: the one rule used both to send a message and to show
coordinators how each applicant will hear from the trust.

E-mail when there is an address (or a text, if they asked for texts and the trust sends
them); with no e-mail, a text where the trust has a text provider and the person agreed,
else a printed letter to their postal address, else a phone call from the team. Letters
and calls are worked by coordinators from the "Letters and calls" page.
"""

from __future__ import annotations

LABELS = {"email": "Email", "sms": "Text message", "letter": "Letter", "phone": "Phone call"}
NO_CHANNEL = "No way to reach them"


def sms_possible(recipient: dict, settings, template_has_text: bool = True) -> bool:
    return bool(recipient.get("phone") and recipient.get("sms_ok") and template_has_text
                and settings.sms_provider != "none")


def reach_channel(recipient: dict, settings, template_has_text: bool = True) -> str | None:
    """email, sms, letter or phone; None when the recipient gave no way to reach them."""
    texts = sms_possible(recipient, settings, template_has_text)
    if texts and recipient.get("preferred_channel") == "sms":
        return "sms"
    if recipient.get("email"):
        return "email"
    if texts:
        return "sms"
    if (recipient.get("address") or "").strip():
        return "letter"
    if recipient.get("phone"):
        return "phone"
    return None


def label(channel: str | None) -> str:
    return LABELS.get(channel, NO_CHANNEL)
