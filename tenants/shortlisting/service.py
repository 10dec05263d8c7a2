"""Shortlisting: reviewers see applications without who the applicant is, each records a
recommendation with a note, the lead compares them side by side and finalises.

Until a cohort's shortlist is final, review pages show the reference, the answers (minus any
that identify the person) and the eligibility result; never the name, contact details, date
of birth or equality monitoring. Finalising moves each application: shortlist, reserve (the
waiting list) or not shortlisted. Reserve members hear "unsuccessful" only once every place
is filled (close_reserve_list, called when a place is accepted).
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from peerpath.refusal import Refused
from tenants.applications.models import Application
from tenants.applications.service import is_disability_confident, transition
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.cohorts.models import Cohort
from tenants.coordinators.models import Coordinator
from tenants.eligibility.service import answers_in_words_for
from tenants.shortlisting.models import ShortlistFinal, ShortlistReview

IDENTIFYING = re.compile(r"name|e-?mail|phone|birth|dob|age|address|postcode|gender|ethnic",
                         re.IGNORECASE)
FINAL_STAGES = {"shortlist": "shortlisted", "reserve": "waiting_list",
                "not_shortlisted": "not_shortlisted"}




def anonymised_answers(session, application: Application) -> list[dict]:
    """The application's answers in words, without the questions that identify someone."""
    rows = answers_in_words_for(session, application.rule_set_version_id, application.answers)
    return [row for row in rows if not IDENTIFYING.search(row["key"])]


def is_final(session, cohort_id: int) -> bool:
    return session.get(ShortlistFinal, cohort_id) is not None


def to_review(session, cohort_id: int) -> list[Application]:
    return list(session.scalars(select(Application).where(
        Application.cohort_id == cohort_id, Application.stage == "eligibility_checked")
        .order_by(Application.submitted_at, Application.id)))


def record_review(session, application: Application, *, reviewer_id: int,
                  recommendation: str, note: str | None, actor: str) -> ShortlistReview:
    if application.stage != "eligibility_checked" or is_final(session,
                                                              application.cohort_id):
        raise Refused("This application is not waiting for shortlisting")
    review = session.scalars(select(ShortlistReview).where(
        ShortlistReview.application_id == application.id,
        ShortlistReview.reviewer_id == reviewer_id)).one_or_none() or ShortlistReview(
        application_id=application.id, reviewer_id=reviewer_id)
    review.recommendation, review.note = recommendation, (note or "").strip() or None
    session.add(review)
    record("shortlist.review", "application", application.id, actor=actor,
           detail={"recommendation": recommendation}, session=session)
    return review


def side_by_side(session, cohort_id: int):
    """(reviewers, rows): each row an application waiting, with every reviewer's view."""
    reviews = session.execute(
        select(ShortlistReview, Coordinator.display_name)
        .join(Application, Application.id == ShortlistReview.application_id)
        .join(Coordinator, Coordinator.id == ShortlistReview.reviewer_id)
        .where(Application.cohort_id == cohort_id)).all()
    reviewers = sorted({name for _, name in reviews})
    by_application: dict[int, dict[str, ShortlistReview]] = {}
    for review, name in reviews:
        by_application.setdefault(review.application_id, {})[name] = review
    rows = [(a, by_application.get(a.id, {})) for a in to_review(session, cohort_id)]
    return reviewers, rows


def finalise(session, cohort: Cohort, decisions: dict[int, str], *, reasons: dict[int, str],
             actor: str, on: dt.date | None = None, early_reason: str | None = None,
             is_lead: bool = False) -> list[str]:
    """Apply the lead's decisions and make the shortlist final; returns refusals to show.
    Before the window closes only a lead with a reason may (gates.check_shortlisting)."""
    if is_final(session, cohort.id):
        raise Refused("The shortlist for this cohort is already final")
    if gates.check_shortlisting(cohort, on or gates.today(), early_reason=early_reason,
                                is_lead=is_lead):
        record("shortlist.finalise_early", "cohort", cohort.id, actor=actor,
               detail={"reason": early_reason.strip()[:1000]}, session=session)
    waiting = {a.id: a for a in to_review(session, cohort.id)}
    missing = [a.reference for a_id, a in waiting.items() if a_id not in decisions]
    if missing:
        raise Refused("Decide on every application first: " + ", ".join(missing))
    for application_id, decision in decisions.items():
        application = waiting.get(application_id)
        if application is None:
            continue
        reason = (reasons.get(application_id) or "").strip() or None
        if decision == "not_shortlisted" and is_disability_confident(application) and \
                not reason:
            raise Refused(f"{application.reference} is a Disability Confident applicant: give "
                          "the reason they are not offered an interview")
        if decision == "not_shortlisted" and not reason:
            reason = "Not shortlisted at the shortlisting meeting"
        if decision == "reserve":
            reason = reason or "Reserve list"
        # Not shortlisted: the stage change sends the outcome message.
        transition(session, application, FINAL_STAGES[decision], actor=actor, reason=reason)
    session.add(ShortlistFinal(cohort_id=cohort.id, finalised_by=actor,
                               finalised_at=dt.datetime.now(dt.UTC)))
    record("shortlist.finalise", "cohort", cohort.id, actor=actor,
           detail={"count": len(decisions)}, session=session)
    return []


def reopen(session, cohort: Cohort, *, reason: str, actor: str) -> None:
    """A lead reopens a final shortlist, so applications that arrived after it was made
    final can be reviewed and decided. The decisions already made stand: finalising again
    decides only the applications still waiting."""
    final = session.get(ShortlistFinal, cohort.id)
    if final is None:
        raise Refused("The shortlist for this cohort is not final")
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Give the reason for reopening the shortlist")
    waiting = len(to_review(session, cohort.id))
    session.delete(final)
    record("shortlist.reopen", "cohort", cohort.id, actor=actor, session=session,
           detail={"reason": reason[:500], "waiting": waiting,
                   "finalised_at": final.finalised_at.isoformat(),
                   "finalised_by": final.finalised_by})


FILLED = ("place_accepted", "in_training", "completed", "outcome_recorded")


def close_reserve_list(session, cohort: Cohort, *, actor: str) -> int:
    """Once every place is filled, the reserve list is not successful (the stage change
    tells each of them). Returns how many."""
    filled = session.scalar(select(func.count()).select_from(Application).where(
        Application.cohort_id == cohort.id, Application.stage.in_(FILLED)))
    if filled < cohort.capacity:
        return 0
    reserve = list(session.scalars(select(Application).where(
        Application.cohort_id == cohort.id, Application.stage == "waiting_list")))
    for application in reserve:
        transition(session, application, "not_successful", actor=actor,
                   reason="Every place has been filled")
    return len(reserve)
