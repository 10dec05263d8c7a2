"""The reasons of one trust: list, add, reword (a new version), retire, and check a choice.
Callers commit."""

from __future__ import annotations

from sqlalchemy import func, select

from peerpath.refusal import Refused
from tenants.audit.service import record
from tenants.reasons.defaults import DEFAULT_REASONS
from tenants.reasons.models import KIND_LABELS, KINDS, DecisionReason

SYSTEM = "system"


def current(session, kind: str | None = None) -> list[DecisionReason]:
    """Reasons that may be chosen now (not retired), by kind then position."""
    query = select(DecisionReason).where(DecisionReason.retired_at.is_(None))
    if kind is not None:
        query = query.where(DecisionReason.kind == kind)
    return list(session.scalars(query.order_by(DecisionReason.kind, DecisionReason.position,
                                               DecisionReason.id)))


def retired(session) -> list[DecisionReason]:
    return list(session.scalars(select(DecisionReason).where(
        DecisionReason.retired_at.is_not(None)).order_by(DecisionReason.kind,
                                                          DecisionReason.retired_at)))


def by_kind(session) -> dict[str, list[DecisionReason]]:
    grouped = {kind: [] for kind in KINDS}
    for reason in current(session):
        grouped[reason.kind].append(reason)
    return grouped


def check_choice(session, kind: str, reason_id: int | None) -> DecisionReason:
    """The current reason `reason_id` for a decision of `kind`, or Refused."""
    reason = session.get(DecisionReason, reason_id) if reason_id else None
    if reason is None or reason.retired_at is not None:
        raise Refused("Choose a reason from the list", field="reason_id")
    if reason.kind != kind:
        raise Refused(f"\u201c{reason.label}\u201d is a reason for "
                      f"{KIND_LABELS[reason.kind].lower()}, not for "
                      f"{KIND_LABELS[kind].lower()}", field="reason_id")
    return reason


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "_".join(words)[:60] or "reason"


def add(session, *, kind: str, label: str, feedback: str, actor: str) -> DecisionReason:
    if kind not in KINDS:
        raise Refused("Choose what kind of decision this reason is for", field="kind")
    key = _slug(label)
    taken = session.scalar(select(func.count()).select_from(DecisionReason).where(
        DecisionReason.kind == kind, DecisionReason.key.startswith(key)))
    position = session.scalar(select(func.coalesce(func.max(DecisionReason.position), 0))
                              .where(DecisionReason.kind == kind)) + 1
    reason = DecisionReason(kind=kind, key=f"{key}_{taken + 1}" if taken else key,
                            label=label.strip(), feedback=feedback.strip(), position=position,
                            created_by=actor)
    session.add(reason)
    session.flush()
    record("decision_reason.add", "decision_reason", reason.id, actor=actor,
           detail={"kind": kind}, session=session)
    return reason


def reword(session, reason: DecisionReason, *, label: str, feedback: str,
           actor: str) -> DecisionReason:
    """The next version of a reason; the old one is retired, so decisions made with it keep
    the words that were used."""
    if reason.retired_at is not None:
        raise Refused("This reason has been retired, so it cannot be changed.")
    reason.retired_at = func.now()
    newer = DecisionReason(kind=reason.kind, key=reason.key, version=reason.version + 1,
                           label=label.strip(), feedback=feedback.strip(),
                           position=reason.position, created_by=actor)
    session.add(newer)
    session.flush()
    record("decision_reason.reword", "decision_reason", newer.id, actor=actor,
           detail={"replaces": reason.id}, session=session)
    return newer


def retire(session, reason: DecisionReason, *, actor: str) -> None:
    if reason.retired_at is not None:
        return
    if len(current(session, reason.kind)) <= 1:
        raise Refused("Keep at least one reason for each kind of decision.")
    reason.retired_at = func.now()
    record("decision_reason.retire", "decision_reason", reason.id, actor=actor,
           session=session)


def add_default_reasons(session, tenant=None) -> None:
    """Onboarding step: a new trust starts with the default reasons (idempotent)."""
    if session.scalar(select(func.count()).select_from(DecisionReason)):
        return
    for kind, reasons in DEFAULT_REASONS.items():
        for position, (key, label, feedback) in enumerate(reasons, start=1):
            session.add(DecisionReason(kind=kind, key=key, label=label, feedback=feedback,
                                       position=position, created_by=SYSTEM))
    session.flush()
