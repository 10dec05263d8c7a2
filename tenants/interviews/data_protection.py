"""Interview bookings (with the adjustments asked for) and interview records about an
applicant, for subject access and erasure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tenants.applications.subjects import Subject, overwrite, register_domain, rows_about
from tenants.interviews.models import InterviewBooking, InterviewRecord


def report(session: Session, subject: Subject) -> dict:
    bookings = rows_about(session, InterviewBooking, subject)
    records = rows_about(session, InterviewRecord, subject)
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
