"""JSON API: a cohort's interview slots, booking an application into one, the record."""

from __future__ import annotations

from flask import Blueprint, abort
from marshmallow import Schema, fields
from sqlalchemy import select

from peerpath.api import api_operation, paginate, require_if_match
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access, api_actor
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.cohorts.forms import api_input, conflict, get_or_404
from tenants.cohorts.models import Cohort
from tenants.interviews import service
from tenants.interviews.models import OUTCOMES, InterviewBooking, InterviewSlot
from tenants.interviews.schemas import BookSchema, RecordSchema, SlotsSchema
from tenants.workspace.api import or_conflict

bp = Blueprint("interviews_api", __name__)
SlotsInput = api_input(SlotsSchema)
BookInput = api_input(BookSchema)
RecordInput = api_input(RecordSchema)


def _booked(slot: InterviewSlot) -> int | None:
    return db.session.scalar(select(InterviewBooking.application_id).where(
        InterviewBooking.slot_id == slot.id))


class SlotOutSchema(Schema):
    id = fields.Integer()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    place = fields.String()
    application_id = fields.Function(_booked, allow_none=True, metadata={
        "type": "integer", "nullable": True, "description": "Who is booked into it"})


class SlotsMadeSchema(Schema):
    items = fields.List(fields.Nested(SlotOutSchema))


class BookingOutSchema(Schema):
    application_id = fields.Integer()
    slot = fields.Nested(SlotOutSchema)
    adjustments = fields.String(allow_none=True)


class RecordOutSchema(Schema):
    application_id = fields.Integer()
    scores = fields.Dict(keys=fields.String(), values=fields.Integer())
    outcome = fields.String(metadata={"enum": list(OUTCOMES)})


@bp.get("/cohorts/<int:cohort_id>/interview-slots")
@api_access("interviews:read")
@api_operation(response=SlotOutSchema, paginated=True)
def list_slots(cohort_id: int, query):
    """List a cohort's interview slots, with who is booked into each."""
    cohort = get_or_404(Cohort, cohort_id)
    page = paginate(db.session, select(InterviewSlot).where(
        InterviewSlot.cohort_id == cohort.id), InterviewSlot.id, query)
    record("interview_slots.view", "cohort", cohort.id, actor=api_actor())
    db.session.commit()
    return page


@bp.post("/cohorts/<int:cohort_id>/interview-slots")
@api_access("interviews:write")
@api_operation(request=SlotsInput, response=SlotsMadeSchema, status=201,
               errors=(409,))
def create_slots(cohort_id: int, body):
    """Make interview slots of `length` minutes between `start` and `end` on each day."""
    cohort = get_or_404(Cohort, cohort_id)
    slots = service.create_slots(db.session, cohort, days=body["days"], start=body["start"],
                                 end=body["end"], length_minutes=body["length"],
                                 place=body["place"], panel_ids=[], actor=api_actor(),
                                 confirm_outside_week=body["confirm_outside_week"])
    db.session.commit()
    return {"items": slots}


def _booking(application: Application) -> InterviewBooking | None:
    return service.booking_for(db.session, application.id)


@bp.get("/applications/<int:application_id>/interview-booking")
@api_access("interviews:read")
@api_operation(response=BookingOutSchema)
def get_booking(application_id: int):
    """Get an application's interview booking, with any adjustments (the read is audited)."""
    application = get_or_404(Application, application_id)
    booking = _booking(application) or abort(404, "No interview is booked")
    record("interview.booking_view", "application", application.id, actor=api_actor())
    db.session.commit()
    return booking


@bp.put("/applications/<int:application_id>/interview-booking")
@api_access("interviews:write")
@api_operation(request=BookInput, response=BookingOutSchema, errors=(409,))
def book(application_id: int, body):
    """Book an application into a slot, or move its booking.

    For a first booking send `If-Match: *`. A taken or past slot is a 409.
    """
    application = get_or_404(Application, application_id)
    require_if_match(_booking(application))
    booking = or_conflict(lambda: service.book(
        db.session, application, body["slot_id"], actor=api_actor(),
        adjustments=body.get("adjustments")), service.SlotUnavailable)
    db.session.commit()
    return booking


@bp.delete("/applications/<int:application_id>/interview-booking")
@api_access("interviews:write")
@api_operation(status=204, errors=(409,))
def cancel(application_id: int):
    """Cancel an application's interview booking (409 if none is booked)."""
    application = get_or_404(Application, application_id)
    or_conflict(lambda: service.cancel(db.session, application, actor=api_actor()),
                service.SlotUnavailable)
    db.session.commit()


@bp.get("/applications/<int:application_id>/interview-record")
@api_access("interview_records:read")
@api_operation(response=RecordOutSchema)
def get_record(application_id: int):
    """Get an application's interview scores and outcome (the read is audited)."""
    application = get_or_404(Application, application_id)
    row = service.interview_record(db.session, application.id)
    if row is None:
        abort(404, "No interview is recorded")
    record("interview.record_view", "application", application.id, actor=api_actor())
    db.session.commit()
    return row


@bp.put("/applications/<int:application_id>/interview-record")
@api_access("interviews:write")
@api_operation(request=RecordInput, response=RecordOutSchema, errors=(409,))
def save_record(application_id: int, body):
    """Record an interview: a score for every criterion, and the outcome.

    For a first record send `If-Match: *`. Without an interview booked, or without a score for every
    criterion, it is a 409.
    """
    application = get_or_404(Application, application_id)
    require_if_match(service.interview_record(db.session, application.id))
    try:
        row = or_conflict(lambda: service.record_interview(
            db.session, application, scores=body["scores"], notes=body.get("notes"),
            outcome=body["outcome"], actor=api_actor()), service.SlotUnavailable)
    except ValueError as refused:
        db.session.rollback()
        conflict({"scores": [str(refused)]})
    db.session.commit()
    return row
