"""Applications: starting and continuing an EOI, submitting it, and moving it along the
pipeline. Functions take the tenant's session; callers commit (one transaction per request).
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from peerpath.datewords import nhs_date
from peerpath.refusal import Refused
from tenants.applications import events, links, messages, pipeline, sources, steps
from tenants.applications.models import (
    Applicant,
    Application,
    ApplicationEvent,
    EqualityMonitoring,
)
from tenants.audit.service import record
from tenants.eligibility import routing
from tenants.eligibility.rules import ELIGIBLE
from tenants.privacy.service import current_version as current_privacy_version
from tenants.reasons import service as decision_reasons
from tenants.trustpage import service as trust_page

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
SYSTEM = "system"


class ClosedForApplications(Refused):
    """No window is open; `next_window` is the next cohort to take applications, if set."""

    def __init__(self, message: str, *, next_window=None):
        super().__init__(message)
        self.next_window = next_window


def applicant_actor(applicant_id: int) -> str:
    return f"applicant:{applicant_id}"


def new_reference(session) -> str:
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f"PSW-{code[:4]}-{code[4:]}"
        if not session.scalar(select(Application.id).where(Application.reference == reference)):
            return reference


def closed_message(session, on: dt.date) -> ClosedForApplications:
    upcoming = sources.next_window(session, on)
    if upcoming is None:
        text = ("Applications are closed at the moment. The dates of the next intake have "
                "not been set yet.")
    else:
        text = (f"Applications are closed at the moment. The next intake, {upcoming.name}, "
                f"takes applications from {nhs_date(upcoming.eoi_opens_on)} to "
                f"{nhs_date(upcoming.eoi_closes_on)}.")
    return ClosedForApplications(text, next_window=upcoming)


def check_window(session, cohort, on: dt.date) -> None:
    if cohort is None or not sources.window_is_open(cohort, on):
        raise closed_message(session, on)


def find_applicant(session, email: str) -> Applicant | None:
    return session.scalars(select(Applicant).where(
        func.lower(Applicant.email) == email.strip().lower())).one_or_none()


def application_for(session, applicant_id: int, cohort_id: int) -> Application | None:
    return session.scalars(select(Application).where(
        Application.applicant_id == applicant_id, Application.cohort_id == cohort_id)
    ).one_or_none()


def start(session, cohort, *, name: str, email: str | None, phone: str | None = None,
          on: dt.date, channel: str = "online", entered_by: str | None = None,
          applicant: Applicant | None = None) -> tuple[Application, bool]:
    """The application of this person to this cohort: (application, newly_made).

    A second EOI from the same e-mail for the same cohort continues the first one. Someone
    with no e-mail (a paper or phone EOI entered by a coordinator) is always a new applicant;
    the application page shows possible duplicates by name and phone.
    """
    check_window(session, cohort, on)
    applicant = applicant or (find_applicant(session, email) if email else None)
    if applicant is None:
        applicant = Applicant(email=email.strip() if email else None, name=name.strip(),
                              phone=phone or None)
        session.add(applicant)
        session.flush()
        record("applicant.create", "applicant", applicant.id,
               actor=entered_by or applicant_actor(applicant.id), session=session)
    existing = application_for(session, applicant.id, cohort.id)
    if existing is not None:
        return existing, False
    actor = entered_by or applicant_actor(applicant.id)
    application = Application(applicant_id=applicant.id, cohort_id=cohort.id,
                              reference=new_reference(session), stage="interest_registered",
                              answers={}, channel=channel, entered_by=entered_by,
                              consent_recorded=entered_by is not None,
                              rule_set_version_id=sources.live_version_id(session))
    session.add(application)
    session.flush()
    session.add(ApplicationEvent(application_id=application.id, actor=actor, from_stage=None,
                                 to_stage="interest_registered"))
    record("application.create", "application", application.id, actor=actor, session=session)
    return application, True


def answer_on_live_form(application: Application, live_version_id: int | None) -> None:
    """Pin a draft to the live form, for answers read from the live form's pages (a
    coordinator entering a paper EOI for someone who had begun one online)."""
    if application.stage != "interest_registered":
        raise Refused("This application has been sent, so its form cannot change.")
    application.rule_set_version_id = live_version_id


def save_answers(session, application: Application, changes: dict, *, step: str | None,
                 actor: str) -> None:
    """Merge answers into a draft (only drafts change: a sent EOI is what was sent)."""
    if application.stage != "interest_registered":
        raise Refused("This application has been sent, so its answers cannot be changed.")
    application.answers = {**(application.answers or {}), **changes}
    if step:
        application.current_step = step
    record("application.answer", "application", application.id, actor=actor,
           detail={"keys": sorted(changes)}, session=session)


def save_equality(session, application: Application, answers: dict, *, actor: str) -> None:
    row = session.scalars(select(EqualityMonitoring).where(
        EqualityMonitoring.application_id == application.id)).one_or_none()
    if row is None:
        session.add(EqualityMonitoring(application_id=application.id, answers=answers))
    else:
        row.answers = answers
    record("equality_monitoring.save", "application", application.id, actor=actor,
           session=session)


def save_heard_via(session, application: Application, heard_via: str | None, *,
                   step: str | None, actor: str) -> None:
    """Where a draft's applicant heard of the programme (refused once it is sent)."""
    save_answers(session, application, {}, step=step, actor=actor)
    application.heard_via = heard_via


def equality_answers(session, application_id: int) -> dict:
    row = session.scalars(select(EqualityMonitoring).where(
        EqualityMonitoring.application_id == application_id)).one_or_none()
    return row.answers if row else {}


def missing_required(questions: list[dict], answers: dict) -> list[dict]:
    """Required questions on the applicant's route that have no answer (skipped ones are not
    asked, so not missing)."""
    return [q for q in steps.asked(questions, answers)
            if q.get("required") and answers.get(q["key"]) in (None, "")]


def submit(session, tenant, application: Application, *, on: dt.date, actor: str) -> None:
    """Send an EOI: judge it by the form version it was answered on, record it, queue the
    acknowledgement.

    The eligibility result is for coordinators; an eligible application moves straight on,
    any other waits at "EOI submitted" for a person to look at it.
    """
    if application.stage != "interest_registered":
        raise Refused("This application has already been sent.")
    cohort = sources.get_cohort(session, application.cohort_id)
    check_window(session, cohort, on)
    # Judged by the version it was answered on (pinned when it started), never a mix.
    config = sources.configuration_of(session, application)
    if routing.ended_at_exit(config.questions, application.answers or {}):
        raise Refused("Your answers end the form before it can be sent.")
    # Only the answers on the route taken are judged: a branch skips the rest.
    answers = routing.answers_on_path(config.questions, application.answers or {})
    missing = missing_required(config.questions, answers)
    if missing:
        raise Refused(f"Answer the question: {missing[0]['label']}", field=missing[0]["key"])
    judged = sources.evaluate(config, answers, on)
    application.eligibility_outcome = judged.outcome
    application.eligibility_results = [
        {"key": r["key"], "outcome": r["outcome"], "reason": r["reason"]} for r in judged.results]
    application.rule_set_version_id = config.rule_set_version_id
    application.submitted_at = func.now()
    application.privacy_notice_version = current_privacy_version(session)
    application.current_step = None
    applicant = session.get(Applicant, application.applicant_id)
    if application.heard_via is None and sources.came_to_a_drop_in(session, applicant):
        application.heard_via = "drop_in"  # their booking says they came to one
    transition(session, application, "eoi_submitted", actor=actor)
    if judged.outcome == ELIGIBLE:
        transition(session, application, "eligibility_checked", actor=SYSTEM,
                   reason="Meets every eligibility rule")
    messages.queue(session, messages.ACKNOWLEDGEMENT, applicant, actor=actor,
                   application=application, reference=application.reference,
                   cohort_name=cohort.name, sign_in_link=links.sign_in_link())


def transition(session, application: Application, target: str, *, actor: str,
               reason: str | None = None, by_applicant: bool = False,
               notify: bool = True, reason_id: int | None = None,
               reinstating: bool = False) -> ApplicationEvent:
    """Move an application to `target`, or raise pipeline.IllegalTransition with a reason.

    The one place an application changes stage: it writes the stage and its history row,
    then publishes events.stage_changed once, and the reactions (audit, the applicant's
    message unless `notify` is False, reminders, the waiting list) follow from that.

    `reason_id` is a structured reason (tenants.reasons) of the target's kind; its label
    stands for the written reason when no details are given. `reinstating` is the deferral
    service's move of a deferred place back to the stage it was held at (pipeline).
    """
    details = (reason or "").strip() or None
    if reason_id is not None:
        try:
            chosen = decision_reasons.check_choice(session, target, reason_id)
        except Refused as refused:
            raise pipeline.IllegalTransition(refused.message) from None
        details = f"{chosen.label}: {details}" if details else chosen.label
    pipeline.check_transition(application.stage, target, reason=details,
                              by_applicant=by_applicant, reinstating=reinstating)
    event = ApplicationEvent(application_id=application.id, actor=actor,
                             from_stage=application.stage, to_stage=target,
                             reason=details, reason_id=reason_id)
    application.stage = target
    session.add(event)
    session.flush()
    events.publish(events.StageChange(
        session=session, application=application, from_stage=event.from_stage,
        to_stage=target, actor=actor, reason=event.reason, by_applicant=by_applicant,
        notify=notify))
    return event


def is_disability_confident(application: Application) -> bool:
    """A Disability Confident applicant who meets the rules is guaranteed an interview, at
    a trust that says on its page it is a Disability Confident employer."""
    return bool(application.disability_confident) and \
        application.eligibility_outcome == ELIGIBLE and \
        trust_page.is_disability_confident_employer(object_session(application))


PLACE_STAGES = ("place_offered", "place_accepted", "in_training", "completed",
                "outcome_recorded")


def places_offered(session, cohort_id: int) -> int:
    """Places offered on a cohort (registered with tenants.cohorts as its counter)."""
    return session.scalar(select(func.count()).select_from(Application).where(
        Application.cohort_id == cohort_id, Application.stage.in_(PLACE_STAGES)))


def history(session, application_id: int) -> list[ApplicationEvent]:
    return list(session.scalars(select(ApplicationEvent).where(
        ApplicationEvent.application_id == application_id).order_by(ApplicationEvent.id)))


def applications_of(session, applicant_id: int) -> list[Application]:
    return list(session.scalars(select(Application).where(
        Application.applicant_id == applicant_id).order_by(Application.created_at.desc(),
                                                           Application.id.desc())))


def own_application(session, applicant_id: int, application_id) -> Application | None:
    """The applicant's own application, or None (another person's id reads as missing)."""
    try:
        application = session.get(Application, int(application_id))
    except (TypeError, ValueError, OverflowError):
        return None
    return application if application and application.applicant_id == applicant_id else None


def withdraw(session, application: Application, *, reason: str | None,
             reason_id: int | None = None) -> None:
    transition(session, application, "withdrawn", actor=applicant_actor(
        application.applicant_id), reason=reason, by_applicant=True, reason_id=reason_id)


def defer(session, application: Application, *, reason: str | None) -> None:
    transition(session, application, "deferred", actor=applicant_actor(application.applicant_id),
               reason=reason, by_applicant=True)


def update_contact(session, applicant: Applicant, values: dict) -> None:
    applicant.name = values["name"]
    applicant.phone = values.get("phone") or None
    applicant.communication_needs = values["communication_needs"]
    record("applicant.update", "applicant", applicant.id,
           actor=applicant_actor(applicant.id), session=session)
