"""The trust's privacy notice: the current version, publishing a new one, rendering it."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tenants.audit.service import record
from tenants.privacy.defaults import default_notice
from tenants.privacy.models import PrivacyNotice


def current_notice(session: Session) -> PrivacyNotice | None:
    return session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.version.desc())
                           .limit(1)).one_or_none()


def current_version(session: Session) -> int | None:
    """The version an applicant is shown now: store it with their expression of interest."""
    return session.scalar(select(func.max(PrivacyNotice.version)))


def versions(session: Session) -> list[PrivacyNotice]:
    return list(session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.version.desc())))


def publish(session: Session, body: str, *, actor: str) -> PrivacyNotice:
    # Versions are numbered under a lock, so two leads publishing at once get 2 and 3.
    session.execute(select(func.pg_advisory_xact_lock(func.hashtext("privacy_notices"))))
    notice = PrivacyNotice(version=(current_version(session) or 0) + 1, body=body.strip(),
                           published_by=actor)
    session.add(notice)
    session.flush()
    record("privacy_notice.published", "privacy_notice", notice.version, actor=actor,
           session=session)
    return notice


def add_default_notice(session: Session, tenant) -> None:
    """Onboarding step, and the demo seed: the default text, if the trust has none yet."""
    if current_version(session) is None:
        session.add(PrivacyNotice(version=1, body=default_notice(tenant),
                                  published_by="onboarding"))


def render(body: str) -> Markup:
    """Plain text to safe HTML: blank lines separate paragraphs, "## " starts a heading,
    lines starting "- " make a bulleted list. Everything typed is escaped."""
    html = []
    for block in (b.strip() for b in body.replace("\r\n", "\n").split("\n\n")):
        lines = block.split("\n") if block else []
        if lines and lines[0].startswith("## "):
            html.append(Markup("<h2>{}</h2>").format(lines.pop(0)[3:].strip()))
        if lines and all(line.startswith("- ") for line in lines):
            items = Markup("").join(Markup("<li>{}</li>").format(line[2:].strip())
                                    for line in lines)
            html.append(Markup('<ul class="nhsuk-list nhsuk-list--bullet">{}</ul>').format(items))
        elif lines:
            html.append(Markup("<p>{}</p>").format(Markup("<br>").join(lines)))
    return Markup("\n").join(html)
