"""What the structured reasons of decisions mean for one application and for reports:
the applicant's feedback, their request for a conversation, and counts by stage and reason.
Callers commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from peerpath.refusal import Refused
from tenants.applications.models import Application, ApplicationEvent, ConversationRequest
from tenants.applications.pipeline import IllegalTransition
from tenants.audit.service import record
from tenants.reasons.models import KIND_LABELS, KINDS, DecisionReason


@dataclass(frozen=True)
class ReasonCount:
    stage: str
    key: str
    label: str
    count: int
    cohort_id: int | None = None  # with by_cohort=True


def require_reason(target: str, reason_id: int | None) -> None:
    """A coordinator's decision that carries a reason (page, bulk action, API) names one."""
    if target in KINDS and not reason_id:
        raise IllegalTransition(f"Choose a reason for this decision ({KIND_LABELS[target]})",
                                field="reason_id")


def decision_reason(session, application: Application) -> DecisionReason | None:
    """The structured reason of the decision the application is at now, if it has one."""
    if application.stage not in KINDS:
        return None
    return session.scalar(
        select(DecisionReason).join(ApplicationEvent,
                                    ApplicationEvent.reason_id == DecisionReason.id)
        .where(ApplicationEvent.application_id == application.id,
               ApplicationEvent.to_stage == application.stage)
        .order_by(ApplicationEvent.id.desc()).limit(1))


def feedback_for(session, application: Application) -> str | None:
    """Plain-words feedback for the applicant (never the coordinator's details)."""
    reason = decision_reason(session, application)
    return reason.feedback if reason else None


def counts_by_stage_and_reason(session, cohort_id: int | None = None, *,
                               by_cohort: bool = False) -> list[ReasonCount]:
    """How many decisions each reason was given for, by stage (every version of a reason
    counts under its first-version key and its newest label), for one cohort, every cohort
    together, or each cohort apart (`by_cohort`); one statement, for the reports."""
    newest = (select(DecisionReason.kind, DecisionReason.key,
                     func.max(DecisionReason.id).label("newest_id"))
              .group_by(DecisionReason.kind, DecisionReason.key).subquery())
    labels = select(DecisionReason.id, DecisionReason.label).subquery()
    grouped = (ApplicationEvent.to_stage, DecisionReason.key, labels.c.label,
               *((Application.cohort_id,) if by_cohort else ()))
    query = (select(*grouped[:3], func.count(ApplicationEvent.id), *grouped[3:])
             .join(DecisionReason, DecisionReason.id == ApplicationEvent.reason_id)
             .join(newest, (newest.c.kind == DecisionReason.kind)
                   & (newest.c.key == DecisionReason.key))
             .join(labels, labels.c.id == newest.c.newest_id)
             .group_by(*grouped)
             .order_by(ApplicationEvent.to_stage, func.count(ApplicationEvent.id).desc(),
                       DecisionReason.key))
    if cohort_id is not None or by_cohort:
        query = query.join(Application, Application.id == ApplicationEvent.application_id)
    if cohort_id is not None:
        query = query.where(Application.cohort_id == cohort_id)
    return [ReasonCount(*row) for row in session.execute(query)]


def open_request(session, application_id: int) -> ConversationRequest | None:
    return session.scalar(select(ConversationRequest).where(
        ConversationRequest.application_id == application_id,
        ConversationRequest.done_at.is_(None)).limit(1))


def ask_for_conversation(session, application: Application, *, actor: str
                         ) -> ConversationRequest:
    """The applicant asks to talk their decision through (asking twice is one request)."""
    if application.stage not in KINDS:
        raise Refused("You can ask for a conversation once a decision has been made.")
    existing = open_request(session, application.id)
    if existing is not None:
        return existing
    request = ConversationRequest(application_id=application.id)
    session.add(request)
    session.flush()
    record("application.conversation_request", "application", application.id, actor=actor,
           session=session)
    return request


def mark_conversation_done(session, application_id: int, *, actor: str) -> None:
    request = open_request(session, application_id)
    if request is None:
        raise Refused("There is no open request for a conversation.")
    request.done_at = func.now()
    request.done_by = actor
    record("application.conversation_done", "application", application_id, actor=actor,
           session=session)


def open_requests(session, cohort_id: int) -> list[tuple[ConversationRequest, Application]]:
    return list(session.execute(
        select(ConversationRequest, Application)
        .join(Application, Application.id == ConversationRequest.application_id)
        .where(Application.cohort_id == cohort_id, ConversationRequest.done_at.is_(None))
        .order_by(ConversationRequest.requested_at)).tuples())
