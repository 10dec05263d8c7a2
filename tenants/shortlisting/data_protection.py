"""Shortlisting reviews about an applicant, for subject access and erasure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.applications.subjects import Subject, overwrite, register_domain, rows_about
from tenants.shortlisting.models import ShortlistReview


def report(session: Session, subject: Subject) -> list[dict]:
    return [{"application": subject.references.get(r.application_id),
             "reviewer": r.reviewer_id, "recommendation": r.recommendation, "note": r.note,
             "at": r.created_at}
            for r in rows_about(session, ShortlistReview, subject)]


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return {"shortlist_reviews": overwrite(session, ShortlistReview.application_id,
                                           subject.application_ids, note=None)}


register_domain("shortlisting", report=report, scrub=scrub)
