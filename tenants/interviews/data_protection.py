"""Interview bookings (with the adjustments asked for) and interview records about an
applicant, for subject access and erasure."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.applications.subjects import Subject, overwrite, register_domain
from tenants.interviews.models import InterviewBooking, InterviewRecord


def report(session: Session, subject: Subject) -> dict:
    ids = subject.application_ids
    bookings = session.scalars(select(InterviewBooking).where(
        InterviewBooking.application_id.in_(ids)).order_by(InterviewBooking.id))
    records = session.scalars(select(InterviewRecord).where(
        InterviewRecord.application_id.in_(ids)).order_by(InterviewRecord.id))
    return {
        "bookings": [{"application": subject.references.get(b.application_id),
                      "starts_at": b.slot.starts_at, "ends_at": b.slot.ends_at,
                      "place": b.slot.place, "adjustments": b.adjustments,
                      "booked_at": b.booked_at} for b in bookings],
        "records": [{"application": subject.references.get(r.application_id),
                     "scores": r.scores, "notes": r.notes, "outcome": r.outcome,
                     "recorded_by": r.recorded_by, "recorded_at": r.recorded_at}
                    for r in records],
    }


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    ids = subject.application_ids
    return {"interview_bookings": overwrite(session, InterviewBooking.application_id, ids,
                                            adjustments=None),
            "interview_records": overwrite(session, InterviewRecord.application_id, ids,
                                           notes=None)}


register_domain("interviews", report=report, scrub=scrub)
