"""Interview slots, booking (by the applicant or a coordinator), panels and records.

A slot holds one booking and an application one slot: both are unique constraints, so two
people pressing "Book" at the same moment cannot both get the slot; the loser is told the
slot has just gone. Callers commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from peerpath import ics
from peerpath.datewords import nhs_date, nhs_time
from peerpath.ics import LONDON
from peerpath.refusal import Refused
from tenants.applications import links, messages, reminders
from tenants.applications.models import Applicant, Application
from tenants.applications.service import transition
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.interviews.models import (
    InterviewBooking,
    InterviewCriterion,
    InterviewRecord,
    InterviewSlot,
    SlotPanelMember,
)

MAX_SLOTS_AT_ONCE = 200
DEFAULT_CRITERIA = (
    ("lived_experience", "Uses their lived experience with purpose and boundaries"),
    ("recovery_values", "Understands recovery, hope and self-determination"),
    ("listening", "Listens and communicates with empathy"),
    ("teamwork", "Works alongside others and reflects on their practice"),
    ("readiness", "Ready for training and the role"),
)


class SlotUnavailable(Refused):
    """The slot is taken, gone, in the past or not in this application's cohort."""


def add_default_criteria(session, tenant=None) -> None:
    """Onboarding step: the PSW competences to score at interview (trusts may edit them)."""
    if session.scalar(select(InterviewCriterion.id).limit(1)) is None:
        for position, (key, label) in enumerate(DEFAULT_CRITERIA):
            session.add(InterviewCriterion(key=key, label=label, position=position))


def criteria(session) -> list[InterviewCriterion]:
    return list(session.scalars(select(InterviewCriterion).order_by(InterviewCriterion.position)))


def plan_slots(days: list[dt.date], start: dt.time, end: dt.time,
               length_minutes: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Back-to-back slots of `length_minutes` from start to end on each day (London time)."""
    slots = []
    for day in days:
        at = dt.datetime.combine(day, start, LONDON)
        finish = dt.datetime.combine(day, end, LONDON)
        while at + dt.timedelta(minutes=length_minutes) <= finish:
            slots.append((at, at + dt.timedelta(minutes=length_minutes)))
            at += dt.timedelta(minutes=length_minutes)
    return slots


class OutsideInterviewWeek(Refused):
    """A day outside the cohort's interview week: a warning to confirm, not a rule."""


def create_slots(session, cohort, *, days, start, end, length_minutes, place, panel_ids,
                 actor: str, confirm_outside_week: bool = False) -> list[InterviewSlot]:
    warnings = [w for w in (gates.interview_slot_warning(cohort, day) for day in days) if w]
    if warnings and not confirm_outside_week:
        raise OutsideInterviewWeek(" ".join(warnings), field="days")
    made = []
    for starts_at, ends_at in plan_slots(days, start, end, length_minutes)[:MAX_SLOTS_AT_ONCE]:
        slot = InterviewSlot(cohort_id=cohort.id, starts_at=starts_at, ends_at=ends_at,
                             place=place)
        session.add(slot)
        made.append(slot)
    session.flush()
    for slot in made:
        for coordinator_id in panel_ids:
            session.add(SlotPanelMember(slot_id=slot.id, coordinator_id=coordinator_id))
    record("interview_slots.create", "cohort", cohort.id, actor=actor,
           detail={"count": len(made), "outside_interview_week": bool(warnings)},
           session=session)
    return made


def slots_with_bookings(session, cohort_id: int):
    """(slot, booking or None, application reference or None) for the cohort, in order."""
    return session.execute(
        select(InterviewSlot, InterviewBooking, Application.reference)
        .outerjoin(InterviewBooking, InterviewBooking.slot_id == InterviewSlot.id)
        .outerjoin(Application, Application.id == InterviewBooking.application_id)
        .where(InterviewSlot.cohort_id == cohort_id).order_by(InterviewSlot.starts_at)).all()


def free_slots(session, cohort_id: int, now: dt.datetime) -> list[InterviewSlot]:
    taken = exists().where(InterviewBooking.slot_id == InterviewSlot.id)
    return list(session.scalars(select(InterviewSlot).where(
        InterviewSlot.cohort_id == cohort_id, InterviewSlot.starts_at > now, ~taken)
        .order_by(InterviewSlot.starts_at)))


def booking_for(session, application_id: int) -> InterviewBooking | None:
    return session.scalars(select(InterviewBooking).where(
        InterviewBooking.application_id == application_id)).one_or_none()


def _usable_slot(session, application: Application, slot_id: int, now: dt.datetime):
    slot = session.get(InterviewSlot, slot_id) if 0 < slot_id < 2**62 else None
    if slot is None or slot.cohort_id != application.cohort_id:
        raise SlotUnavailable("Choose one of the times listed")
    if slot.starts_at <= now:
        raise SlotUnavailable("That time has passed. Choose another time")
    return slot


def book(session, application: Application, slot_id: int, *, actor: str,
         adjustments: str | None = None, now: dt.datetime | None = None) -> InterviewBooking:
    """Book, or move an existing booking to, `slot_id`; raises SlotUnavailable."""
    now = now or dt.datetime.now(dt.UTC)
    if application.stage not in ("interview_invited", "interview_booked"):
        raise SlotUnavailable("This application is not invited to an interview")
    slot = _usable_slot(session, application, slot_id, now)
    booking = booking_for(session, application.id)
    try:
        with session.begin_nested():
            if booking is None:
                booking = InterviewBooking(slot_id=slot.id, application_id=application.id,
                                           adjustments=(adjustments or "").strip() or None)
                session.add(booking)
            else:
                booking.slot_id = slot.id
                if adjustments is not None:
                    booking.adjustments = adjustments.strip() or None
            session.flush()
    except IntegrityError:
        raise SlotUnavailable("Someone has just booked that time. Choose another time") \
            from None
    session.refresh(booking)
    moved = application.stage == "interview_booked"
    if not moved:
        transition(session, application, "interview_booked", actor=actor)
    record("interview.move" if moved else "interview.book", "application", application.id,
           actor=actor, detail={"slot_id": slot.id}, session=session)
    _confirm(session, application, booking, actor=actor)
    return booking


def interview_calendar(session, booking: InterviewBooking, *,
                       method: str = ics.PUBLISH) -> bytes:
    """The booking's calendar file. One UID per booking: moving it to another time updates
    the entry; cancelling it (METHOD:CANCEL) takes the entry away."""
    tenant = session.info["tenant"]
    slot = booking.slot
    return ics.build([ics.CalendarEntry(
        uid=ics.uid("interview", booking.id, tenant.slug),
        summary=f"Interview with {tenant.display_name}", start=slot.starts_at,
        end=slot.ends_at, location=slot.place or "")], method=method)


def _when(booking: InterviewBooking, application: Application) -> dict:
    local = booking.slot.starts_at.astimezone(LONDON)
    return {"interview_date": nhs_date(local), "interview_time": nhs_time(local),
            "sign_in_link": links.interview_booking_link(application.id)}


def _confirm(session, application, booking, *, actor: str) -> None:
    invite = ics.attachment(interview_calendar(session, booking), "interview.ics")
    applicant = session.get(Applicant, application.applicant_id)
    details = {**_when(booking, application), "interview_place": booking.slot.place}
    messages.queue(session, "interview_confirmation", applicant, actor=actor,
                   application=application, attachments=[invite], **details)
    reminders.queue_interview(session, application, applicant, booking.slot.starts_at,
                              actor=actor, **details)


def cancel(session, application: Application, *, actor: str) -> None:
    """Cancel the booked interview; the applicant is told, with the calendar's cancel."""
    booking = booking_for(session, application.id)
    if booking is None or application.stage != "interview_booked":
        raise SlotUnavailable("There is no interview booked to cancel")
    cancelled = ics.attachment(interview_calendar(session, booking, method=ics.CANCEL),
                               "interview-cancelled.ics")
    details = _when(booking, application)
    session.delete(booking)
    reminders.withdraw(session, application.id, reminders.INTERVIEW)
    transition(session, application, "interview_invited", actor=actor,
               reason="Interview booking cancelled")
    messages.queue(session, "interview_cancelled", session.get(Applicant,
                                                               application.applicant_id),
                   actor=actor, application=application, attachments=[cancelled], **details)
    record("interview.cancel", "application", application.id, actor=actor, session=session)


def panel_interviews(session, coordinator_id: int):
    """What a panel member may see: their own interviews' time, place, name and adjustments."""
    return session.execute(
        select(InterviewBooking, Application.id, Application.reference, Application.stage,
               Applicant.name)
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .join(SlotPanelMember, SlotPanelMember.slot_id == InterviewSlot.id)
        .join(Application, Application.id == InterviewBooking.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(SlotPanelMember.coordinator_id == coordinator_id)
        .order_by(InterviewSlot.starts_at)).all()


def on_panel(session, coordinator_id: int, application_id: int) -> bool:
    return session.scalar(
        select(SlotPanelMember.coordinator_id)
        .join(InterviewBooking, InterviewBooking.slot_id == SlotPanelMember.slot_id)
        .where(SlotPanelMember.coordinator_id == coordinator_id,
               InterviewBooking.application_id == application_id)) is not None


def record_interview(session, application: Application, *, scores: dict, notes: str | None,
                     outcome: str, actor: str) -> InterviewRecord:
    known = {c.key for c in criteria(session)}
    unknown = set(scores) - known
    if unknown or set(scores) != known:
        raise ValueError("Score every criterion")
    existing = session.scalars(select(InterviewRecord).where(
        InterviewRecord.application_id == application.id)).one_or_none()
    if existing is None and application.stage != "interview_booked":
        raise SlotUnavailable("This application has no interview booked")
    row = existing or InterviewRecord(application_id=application.id)
    row.scores, row.notes, row.outcome, row.recorded_by = scores, notes, outcome, actor
    session.add(row)
    if application.stage == "interview_booked":
        transition(session, application, "interviewed", actor=actor)
    record("interview.record", "application", application.id, actor=actor,
           detail={"outcome": outcome}, session=session)
    return row


def interview_record(session, application_id: int) -> InterviewRecord | None:
    return session.scalars(select(InterviewRecord).where(
        InterviewRecord.application_id == application_id)).one_or_none()
