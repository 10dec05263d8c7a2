"""Coordinators' notes on an applicant's applications, for subject access and erasure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.applications.subjects import (
    ERASED,
    Subject,
    overwrite,
    register_domain,
    rows_about,
)
from tenants.workspace.models import ApplicationNote


def report(session: Session, subject: Subject) -> list[dict]:
    return [{"application": subject.references.get(n.application_id), "by": n.author,
             "at": n.created_at, "note": n.body}
            for n in rows_about(session, ApplicationNote, subject)]


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return {"notes": overwrite(session, ApplicationNote.application_id,
                               subject.application_ids, body=ERASED)}


register_domain("notes", report=report, scrub=scrub)
