"""Subject access (everything held about one applicant) and erasure on request."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from tenants.audit.models import AuditEvent
from tenants.audit.service import record
from tenants.retention import registry
from tenants.retention.models import ErasureRecord

SUBJECT_REF_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$")
SUBJECT_RECORD_TYPE = "applicant"


class SubjectRefInvalid(ValueError):
    pass


def check_ref(subject_ref: str) -> str:
    if not isinstance(subject_ref, str) or not SUBJECT_REF_PATTERN.fullmatch(subject_ref):
        raise SubjectRefInvalid("Enter the applicant's reference, like A1234")
    return subject_ref


def subject_records(session: Session, subject_ref: str) -> list[tuple[str, str]]:
    pairs = {(SUBJECT_RECORD_TYPE, subject_ref)}
    for provider in registry.SUBJECT_DATA.values():
        if provider.records:
            pairs.update((str(t), str(i)) for t, i in provider.records(session, subject_ref))
    return sorted(pairs)


def audit_trail(session: Session, pairs: list[tuple[str, str]]) -> list[dict]:
    events = session.scalars(
        select(AuditEvent)
        .where(tuple_(AuditEvent.record_type, AuditEvent.record_id).in_(pairs))
        .order_by(AuditEvent.at, AuditEvent.id))
    return [{"at": e.at, "who": e.actor, "action": e.action, "record_type": e.record_type,
             "record_id": e.record_id} for e in events]


def gather(session: Session, subject_ref: str, *, export: bool = False) -> dict:
    """Everything held about one applicant, from every registered provider, plus who has
    viewed or changed their records. The request itself is audited."""
    check_ref(subject_ref)
    sections = {name: provider.provide(session, subject_ref)
                for name, provider in sorted(registry.SUBJECT_DATA.items())}
    erasures = session.scalars(select(ErasureRecord).where(
        ErasureRecord.subject_ref == subject_ref).order_by(ErasureRecord.id))
    sections["erasure"] = [{"erased_at": e.erased_at, "reason": e.reason, "kept": e.kept,
                            "counts": e.counts} for e in erasures]
    # The trail is read before this request's own entry, which the next request will show.
    trail = audit_trail(session, subject_records(session, subject_ref))
    record("subject_access.exported" if export else "subject_access.viewed",
           SUBJECT_RECORD_TYPE, subject_ref, session=session)
    session.commit()
    return {"subject_ref": subject_ref, "generated_at": dt.datetime.now(dt.UTC),
            "sections": sections, "audit_trail": trail}


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return str(value)


def to_json(report: dict, trust_slug: str) -> str:
    return json.dumps({"trust": trust_slug, **report}, default=_json_default, indent=2,
                      ensure_ascii=False)


def erase(session: Session, request: registry.ErasureRequest, *, actor: str) -> ErasureRecord:
    """Anonymise one applicant everywhere, except what the trust must keep; one transaction,
    so either every domain erased or none did."""
    check_ref(request.subject_ref)
    counts = {}
    for name, eraser in sorted(registry.ERASERS.items()):
        if name in request.keep:
            counts[name] = {"kept": 1}
            continue
        counts[name] = dict(eraser(session, request.subject_ref, request) or {})
    entry = ErasureRecord(subject_ref=request.subject_ref, erased_by=actor,
                          reason=request.reason, kept=request.kept_reason, counts=counts)
    session.add(entry)
    record("subject.erased", SUBJECT_RECORD_TYPE, request.subject_ref, actor=actor,
           detail={"kept": sorted(request.keep)}, session=session)
    session.commit()
    return entry
