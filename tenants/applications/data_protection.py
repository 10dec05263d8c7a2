"""The applications domain's part in subject access, erasure and retention: the applicant,
their applications (answers decrypted), history, equality monitoring and sign-in links."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tenants.applications.models import (
    EVENT_REASON_ERASED,
    Applicant,
    Application,
    ApplicationEvent,
    ConversationRequest,
    EqualityMonitoring,
    SignInLink,
)
from tenants.applications.schemas import HEARD_VIA_CHOICES
from tenants.applications.subjects import ERASED, Subject, erased_email, register_domain
from tenants.cohorts.models import Cohort
from tenants.eligibility.answers import OUTCOME_WORDS, results_in_words
from tenants.eligibility.service import answers_in_words_for


def report(session: Session, subject: Subject) -> dict:
    applicant = session.get(Applicant, subject.applicant_ids[0])
    equality = dict(session.execute(select(EqualityMonitoring.application_id,
                                           EqualityMonitoring.answers).where(
        EqualityMonitoring.application_id.in_(subject.application_ids))).all())
    events: dict[int, list] = {}
    for e in session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id.in_(subject.application_ids))
            .order_by(ApplicationEvent.id)):
        events.setdefault(e.application_id, []).append(
            {"at": e.at, "by": e.actor, "from_stage": e.from_stage, "to_stage": e.to_stage,
             "reason": e.reason})
    talks: dict[int, list] = {}
    for c in session.scalars(select(ConversationRequest).where(
            ConversationRequest.application_id.in_(subject.application_ids))
            .order_by(ConversationRequest.id)):
        talks.setdefault(c.application_id, []).append(
            {"requested_at": c.requested_at, "done_at": c.done_at})
    rows = session.execute(select(Application, Cohort.name).join(
        Cohort, Cohort.id == Application.cohort_id).where(
        Application.id.in_(subject.application_ids)).order_by(Application.id)).all()
    links = session.execute(select(func.count(), func.max(SignInLink.created_at)).where(
        SignInLink.applicant_id == applicant.id)).one()
    return {
        "applicant": {"name": applicant.name, "email": applicant.email,
                      "phone": applicant.phone, "postal_address": applicant.postal_address,
                      "communication_needs": applicant.communication_needs,
                      "created_at": applicant.created_at, "updated_at": applicant.updated_at},
        "applications": [{
            "reference": a.reference, "cohort": cohort, "stage": a.stage,
            "answers": [{"question": row["label"], "answer": row["value"]} for row in
                        answers_in_words_for(session, a.rule_set_version_id, a.answers)],
            "eligibility_outcome": OUTCOME_WORDS.get(a.eligibility_outcome,
                                                     a.eligibility_outcome),
            "eligibility_results": results_in_words(a.eligibility_results),
            "disability_confident": a.disability_confident, "channel": a.channel,
            "heard_of_the_training": dict(HEARD_VIA_CHOICES).get(a.heard_via),
            "entered_by": a.entered_by, "consent_recorded": a.consent_recorded,
            "created_at": a.created_at, "submitted_at": a.submitted_at,
            "privacy_notice_version": a.privacy_notice_version,
            "history": events.get(a.id, []),
            "conversation_requests": talks.get(a.id, []),
            "equality_monitoring": equality.get(a.id),
        } for a, cohort in rows],
        "sign_in_links": {"issued": links[0], "last_issued_at": links[1]},
    }


def records(session: Session, subject: Subject) -> list[tuple[str, str]]:
    return [("applicant", str(i)) for i in subject.applicant_ids] + \
        [("application", str(i)) for i in subject.application_ids]


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    counts = {"applications": 0, "equality_monitoring": 0, "application_events": 0,
              "applicants": 0, "sign_in_links": 0}
    if subject.application_ids:
        counts["applications"] = session.execute(update(Application).where(
            Application.id.in_(subject.application_ids)).values(
            answers=None, current_step=None).execution_options(synchronize_session=False)
        ).rowcount
        counts["equality_monitoring"] = session.execute(update(EqualityMonitoring).where(
            EqualityMonitoring.application_id.in_(subject.application_ids)).values(
            answers={}).execution_options(synchronize_session=False)).rowcount
        counts["application_events"] = session.execute(update(ApplicationEvent).where(
            ApplicationEvent.application_id.in_(subject.application_ids),
            ApplicationEvent.reason.is_not(None)).values(reason=EVENT_REASON_ERASED)
            .execution_options(synchronize_session=False)).rowcount
    for applicant in session.scalars(select(Applicant).where(
            Applicant.id.in_(subject.applicant_ids))):
        applicant.name, applicant.phone, applicant.postal_address = ERASED, None, None
        applicant.email = erased_email("applicant", applicant.id)
        applicant.communication_needs = None
        counts["applicants"] += 1
    if subject.applicant_ids:
        # Only a hash of each token is kept; replacing it makes every link useless.
        counts["sign_in_links"] = session.execute(update(SignInLink).where(
            SignInLink.applicant_id.in_(subject.applicant_ids),
            ~SignInLink.token_hash.startswith("erased-")).values(
            token_hash=func.concat("erased-", SignInLink.id),
            used_at=func.coalesce(SignInLink.used_at, func.now()))
            .execution_options(synchronize_session=False)).rowcount
    session.flush()
    return counts


register_domain("applications", report=report, scrub=scrub, records=records)
