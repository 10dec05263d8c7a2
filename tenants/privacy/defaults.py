"""The privacy notice a new trust starts with; its lead edits it to match their trust."""

from __future__ import annotations

DEFAULT_NOTICE = "\n\n".join((
    "## Who we are\n"
    "{trust} runs this Peer Support Worker training programme. {trust} is the data "
    "controller for the information you give us. PeerPath runs the website for us and only "
    "uses your information on our instructions.",
    "## What we collect\n"
    "- your name and contact details\n"
    "- your answers about your lived experience of mental health challenges, and any health "
    "information you choose to share\n"
    "- which information sessions you book, and your application, interview and training "
    "records",
    "## Why we use it\n"
    "We use your information to decide whether the training is right for you, to arrange "
    "interviews and training, and to support you through the programme. The law lets us do "
    "this because it is part of our work as an NHS organisation and helps us recruit and "
    "support staff (UK GDPR Articles 6(1)(e) and 9(2)(h)).",
    "## Who can see it\n"
    "Only the staff who run the programme at {trust}. We do not sell your information or "
    "share it for marketing.",
    "## How long we keep it\n"
    "If your application is unsuccessful, we keep it for 12 months after the course starts. "
    "If you withdraw, we keep it for 6 months. After that we remove your personal details and "
    "keep only numbers, such as how many people applied.",
    "## Your rights\n"
    "You can ask to see the information we hold about you, ask us to correct it, or ask us "
    "to delete it. You can also complain to the Information Commissioner's Office "
    "(ico.org.uk).",
    "## Contact us\n{contact}",
))


def default_notice(tenant) -> str:
    contacts = [c for c in (tenant.contact_email, tenant.contact_phone) if c]
    contact = ("Contact the programme team: " + " or ".join(contacts) + "."
               if contacts else "Contact the programme team through the trust's main website.")
    return DEFAULT_NOTICE.format(trust=tenant.display_name, contact=contact)
