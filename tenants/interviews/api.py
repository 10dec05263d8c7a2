"""JSON API: a cohort's interview slots, booking an application into one, the record."""

from __future__ import annotations

from flask import Blueprint, jsonify

from peerpath.errors import error_response
from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.cohorts.models import Cohort
from tenants.interviews import service
from tenants.interviews.schemas import BookSchema, RecordSchema, SlotsSchema
from tenants.workspace.api import actor, attempt, body, find

bp = Blueprint("interviews_api", __name__)


def slot_json(slot, booking) -> dict:
    return {"id": slot.id, "starts_at": slot.starts_at.isoformat(),
            "ends_at": slot.ends_at.isoformat(), "place": slot.place,
            "application_id": booking.application_id if booking else None}


def booking_json(booking) -> dict:
    return {"application_id": booking.application_id, "slot": slot_json(booking.slot, booking),
            "adjustments": booking.adjustments}


@bp.get("/cohorts/<int:cohort_id>/interview-slots")
@api_access("read")
def list_slots(cohort_id: int):
    cohort = find(Cohort, cohort_id)
    rows = service.slots_with_bookings(db.session, cohort.id)
    record("interview_slots.view", "cohort", cohort.id, actor=actor())
    db.session.commit()
    return jsonify(items=[slot_json(slot, booking) for slot, booking, _ in rows])


@bp.post("/cohorts/<int:cohort_id>/interview-slots")
@api_access("write")
def create_slots(cohort_id: int):
    cohort = find(Cohort, cohort_id)
    data = body(SlotsSchema())
    slots = service.create_slots(db.session, cohort, days=data["days"], start=data["start"],
                                 end=data["end"], length_minutes=data["length"],
                                 place=data["place"], panel_ids=[], actor=actor())
    db.session.commit()
    return jsonify(items=[slot_json(slot, None) for slot in slots]), 201


@bp.put("/applications/<int:application_id>/interview-booking")
@api_access("write")
def book(application_id: int):
    application = find(Application, application_id)
    data = body(BookSchema())
    booking, refused = attempt(lambda: service.book(
        db.session, application, data["slot_id"], actor=actor(),
        adjustments=data.get("adjustments")), service.SlotUnavailable)
    if refused:
        return refused
    db.session.commit()
    return jsonify(booking_json(booking))


@bp.delete("/applications/<int:application_id>/interview-booking")
@api_access("write")
def cancel(application_id: int):
    application = find(Application, application_id)
    _, refused = attempt(lambda: service.cancel(db.session, application, actor=actor()),
                         service.SlotUnavailable)
    if refused:
        return refused
    db.session.commit()
    return "", 204


@bp.put("/applications/<int:application_id>/interview-record")
@api_access("write")
def save_record(application_id: int):
    application = find(Application, application_id)
    data = body(RecordSchema())
    try:
        row = service.record_interview(db.session, application, scores=data["scores"],
                                       notes=data.get("notes"), outcome=data["outcome"],
                                       actor=actor())
    except ValueError as refused:
        db.session.rollback()
        return error_response(422, "The request has invalid fields",
                              fields={"scores": [str(refused)]})
    except service.SlotUnavailable as refused:
        db.session.rollback()
        return error_response(409, refused.message)
    db.session.commit()
    return jsonify({"application_id": application.id, "scores": row.scores,
                    "outcome": row.outcome})
