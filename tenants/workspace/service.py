"""Coordinator actions on applications: bulk shortlist / reject / invite, the eligibility
override, notes, and the pipeline export. Callers commit (one transaction per request)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from peerpath.spreadsheet import excel_csv
from tenants.applications import deadlines, pipeline
from tenants.applications.models import Applicant, Application
from tenants.applications.service import is_disability_confident, transition
from tenants.audit.service import record
from tenants.eligibility.answers import OUTCOME_WORDS
from tenants.eligibility.rules import ELIGIBLE
from tenants.notifications.models import OutboxMessage
from tenants.workspace import queries
from tenants.workspace.models import ApplicationNote


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)


def selected(session, cohort_id: int, ids: list[int]) -> list[tuple[Application, Applicant]]:
    """The chosen applications of this cohort with their applicants (ids of other cohorts
    or trusts are simply not found)."""
    if not ids:
        return []
    return list(session.execute(
        select(Application, Applicant).join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id, Application.id.in_(ids))
        .order_by(Application.id).with_for_update(of=Application)).tuples())


def reject_target(stage: str) -> str:
    if stage == "eoi_submitted":
        return "not_eligible"
    if stage in ("interview_invited", "interview_booked", "interviewed", "waiting_list"):
        return "not_successful"
    return "not_shortlisted"


def _move(result: BulkResult, session, application, target, *, actor, reason=None,
          notify: bool = True, reason_id: int | None = None) -> bool:
    try:
        transition(session, application, target, actor=actor, reason=reason, notify=notify,
                   reason_id=reason_id)
    except pipeline.IllegalTransition as refused:
        result.refused.append((application.reference, refused.reason))
        return False
    result.done.append(application.reference)
    return True


def shortlist(session, cohort_id: int, ids: list[int], *, actor: str) -> BulkResult:
    result = BulkResult()
    for application, _ in selected(session, cohort_id, ids):
        _move(result, session, application, "shortlisted", actor=actor)
    return result


def reject(session, cohort_id: int, ids: list[int], *, actor: str, reason_id: int,
           note: str | None, disability_confident_reason: str | None,
           send_message: bool) -> BulkResult:
    """Turn the chosen applications down with the chosen structured reason (and details);
    the stage change tells them, unless the coordinator asked not to (`send_message`).

    The reason is of one kind (not eligible, not shortlisted, not successful): an
    application whose stage would need another kind is refused, with that said. A
    Disability Confident applicant who meets the rules is not left out of interviews
    without its own recorded reason (the scheme guarantees them an interview otherwise).
    """
    result = BulkResult()
    details = (note or "").strip()
    for application, _ in selected(session, cohort_id, ids):
        target = reject_target(application.stage)
        why = details
        if target == "not_shortlisted" and is_disability_confident(application):
            if not (disability_confident_reason or "").strip():
                result.refused.append((application.reference, "Disability Confident: give the "
                                       "reason this applicant is not offered an interview"))
                continue
            why = "; ".join(filter(None, (
                details, f"Disability Confident: {disability_confident_reason.strip()}")))
        _move(result, session, application, target, actor=actor, reason=why or None,
              notify=send_message, reason_id=reason_id)
    return result


def invite_to_interview(session, cohort_id: int, ids: list[int], *, actor: str,
                        send_message: bool = True) -> BulkResult:
    """Invite the chosen applications; the stage change sends each the invitation, unless
    the coordinator asked not to."""
    result = BulkResult()
    for application, _ in selected(session, cohort_id, ids):
        _move(result, session, application, "interview_invited", actor=actor,
              notify=send_message)
    return result


def override_eligibility(session, application: Application, *, outcome: str, reason: str,
                         actor: str) -> None:
    """A coordinator's judgement replaces the rules' result (reason required, recorded)."""
    if not (reason or "").strip():
        raise pipeline.IllegalTransition("Give a reason for changing the eligibility result")
    previous = application.eligibility_outcome
    if outcome == ELIGIBLE and application.stage in ("eoi_submitted", "not_eligible"):
        transition(session, application, "eligibility_checked", actor=actor,
                   reason=f"Eligibility overridden: {reason.strip()}")
    elif outcome == "not_eligible" and application.stage != "not_eligible":
        transition(session, application, "not_eligible", actor=actor,
                   reason=f"Eligibility overridden: {reason.strip()}")
    application.eligibility_outcome = outcome
    session.add(ApplicationNote(application_id=application.id, author=actor,
                                body=f"Eligibility changed from {previous or 'none'} to "
                                     f"{outcome}: {reason.strip()}"))
    record("application.eligibility_override", "application", application.id, actor=actor,
           detail={"from": previous, "to": outcome}, session=session)


def extend_reply_by(session, application: Application, new_date, reason: str, *,
                    actor: str) -> None:
    """Give the applicant longer to reply (deadlines.extend: checked, audited, the applicant
    told); the reason is a note for the team, never in the audit or the message."""
    deadlines.extend(session, application, new_date, actor=actor)
    add_note(session, application, f"Reply-by date moved to {deadlines.in_words(new_date)}: "
             f"{reason.strip()}", actor=actor)


def add_note(session, application: Application, body: str, *, actor: str) -> ApplicationNote:
    note = ApplicationNote(application_id=application.id, author=actor, body=body.strip())
    session.add(note)
    session.flush()
    record("application.note", "application", application.id, actor=actor,
           detail={"note_id": note.id}, session=session)
    return note


def notes(session, application_id: int) -> list[ApplicationNote]:
    return list(session.scalars(select(ApplicationNote).where(
        ApplicationNote.application_id == application_id).order_by(ApplicationNote.id)))


def messages_sent(session, application_id: int) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.related_type == "application",
        OutboxMessage.related_id == str(application_id)).order_by(OutboxMessage.id)))


def pipeline_csv(session, cohort_id: int, *, actor: str) -> str:
    rows = queries.export_rows(session, cohort_id)
    body = excel_csv(
        ["Reference", "Name", "Email", "Stage", "Eligibility", "Disability Confident",
         "Channel", "Submitted (UK time)", "Last change (UK time)"],
        ([row.reference, row.name, row.email, pipeline.LABELS[row.stage],
          OUTCOME_WORDS.get(row.eligibility_outcome, row.eligibility_outcome),
          bool(row.dc), row.channel, row.submitted_at, row.updated_at] for row in rows))
    record("cohort.pipeline_export", "cohort", cohort_id, actor=actor,
           detail={"rows": len(rows)}, session=session)
    return body
