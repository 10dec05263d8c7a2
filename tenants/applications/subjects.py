"""Data protection plumbing shared by every domain: who a data subject is, and one way to
anonymise them, used by erasure on request and by the retention job alike.

A subject reference is an application reference (PSW-XXXX-XXXX, as the workspace shows it);
it stands for the applicant who made that application, so every application of that person
is theirs. Each domain registers under its own name (`register_domain`), which is also the
name a lead can tick to keep that kind of data (ErasureRequest.keep).

Anonymising keeps every row, id, stage, date and count, and replaces names, contact details
and free text with nothing or a placeholder, so the funnel and cohort figures survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, func, or_, select, update
from sqlalchemy.orm import Session

from tenants.applications.models import Applicant, Application
from tenants.infosessions.models import Booking
from tenants.infosessions.schemas import normalise_phone
from tenants.retention import registry

ERASED = "Erased"
_CACHE_KEY = "data_protection.subjects"
_SIGN_OUT_KEY = "data_protection.sign_out"


def erased_email(kind: str, row_id: int) -> str:
    """A placeholder address: unique per row (the tables' unique indexes hold), never real."""
    return f"erased-{kind}-{row_id}@erased.invalid"


@dataclass(frozen=True)
class Subject:
    """Whose data to reach: people (applicant-level data such as names, contact details
    and drop-in bookings) and applications (answers, notes, interviews, training...)."""

    applicant_ids: tuple[int, ...] = ()
    application_ids: tuple[int, ...] = ()
    booking_ids: tuple[int, ...] = ()
    references: dict[int, str] = field(default_factory=dict)

    def related(self) -> list[tuple[str, tuple[str, ...]]]:
        """The outbox's (related_type, related_ids) pairs for this subject's messages."""
        return [(kind, tuple(str(i) for i in ids)) for kind, ids in (
            ("applicant", self.applicant_ids), ("application", self.application_ids),
            ("info_session_booking", self.booking_ids)) if ids]


def _bookings_of(session: Session, applicant_ids) -> tuple[int, ...]:
    """Drop-in bookings made with an applicant's e-mail or phone (bookings hold no id)."""
    if not applicant_ids:
        return ()
    contacts = session.execute(select(Applicant.email, Applicant.phone).where(
        Applicant.id.in_(applicant_ids))).all()
    emails = {email.lower() for email, _ in contacts if email}
    phones = {normalise_phone(phone) for _, phone in contacts if phone}
    if not emails and not phones:
        return ()
    return tuple(session.scalars(select(Booking.id).where(or_(
        func.lower(Booking.email).in_(emails), Booking.phone.in_(phones))).order_by(Booking.id)))


def subject_for(session: Session, applicant_ids, application_ids) -> Subject:
    rows = session.execute(select(Application.id, Application.reference).where(
        Application.id.in_(application_ids)).order_by(Application.id)).all() \
        if application_ids else []
    return Subject(tuple(sorted(applicant_ids)), tuple(i for i, _ in rows),
                   _bookings_of(session, applicant_ids), dict(rows))


def resolve(session: Session, subject_ref: str) -> Subject:
    """The applicant behind an application reference, with all their applications; an
    empty Subject when the reference is unknown. Resolved once per transaction, before any
    domain erases: drop-in bookings are found by contact details that erasure removes."""
    cache = session.info.setdefault(_CACHE_KEY, {})
    if subject_ref not in cache:
        applicant_id = session.scalar(select(Application.applicant_id).where(
            Application.reference == subject_ref))
        if applicant_id is None:
            cache[subject_ref] = Subject()
        else:
            ids = session.scalars(select(Application.id).where(
                Application.applicant_id == applicant_id))
            cache[subject_ref] = subject_for(session, [applicant_id], list(ids))
    return cache[subject_ref]


def rows_about(session: Session, model, subject: Subject):
    """`model`'s rows about the subject's applications, oldest first."""
    return session.scalars(select(model).where(
        model.application_id.in_(subject.application_ids)).order_by(model.id))


def overwrite(session: Session, column, ids, **values) -> int:
    """Set `values` on every row of `column`'s table whose `column` is in `ids`."""
    if not ids:
        return 0
    return session.execute(update(column.class_).where(column.in_(ids)).values(**values)
                           .execution_options(synchronize_session=False)).rowcount


@dataclass(frozen=True)
class Domain:
    name: str
    report: Callable  # (session, Subject) -> JSON-serialisable
    scrub: Callable  # (session, Subject) -> {"what": count}
    records: Callable | None = None  # (session, Subject) -> [(record_type, record_id)]


DOMAINS: dict[str, Domain] = {}


def register_domain(name: str, *, report: Callable, scrub: Callable,
                    records: Callable | None = None) -> None:
    """Register a domain's subject data, records and eraser with tenants.retention."""
    domain = Domain(name, report, scrub, records)
    DOMAINS[name] = domain

    def provide(session, subject_ref):
        subject = resolve(session, subject_ref)
        return domain.report(session, subject) if subject.applicant_ids else []

    def subject_records(session, subject_ref):
        subject = resolve(session, subject_ref)
        return domain.records(session, subject) if subject.applicant_ids else []

    def erase(session, subject_ref, request):
        subject = resolve(session, subject_ref)
        for applicant_id in subject.applicant_ids:
            session.info.setdefault(_SIGN_OUT_KEY, set()).add(
                (session.info["tenant"].slug, applicant_id))
        return domain.scrub(session, subject) if subject.applicant_ids else {}

    registry.register_subject_data(name, provide, records=subject_records if records else None)
    registry.register_eraser(name, erase)


def anonymise(session: Session, subject: Subject, *, skip=frozenset()) -> dict[str, int]:
    """Every registered domain's anonymisation of `subject`, summed into one count."""
    counts: dict[str, int] = {}
    for name, domain in sorted(DOMAINS.items()):
        if name in skip:
            continue
        for what, count in (domain.scrub(session, subject) or {}).items():
            counts[what] = counts.get(what, 0) + count
    return counts


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    """Erased applicants are signed out everywhere once the erasure is committed."""
    session.info.pop(_CACHE_KEY, None)
    signed_out = session.info.pop(_SIGN_OUT_KEY, ())
    if signed_out:
        from tenants.applications.account import sign_out_everywhere

        for slug, applicant_id in sorted(signed_out):
            sign_out_everywhere(slug, applicant_id)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    session.info.pop(_CACHE_KEY, None)
    session.info.pop(_SIGN_OUT_KEY, None)
