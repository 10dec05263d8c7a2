"""What follows from an application changing stage, in this domain: the audit row, the
message the applicant gets for the stage, and their reminders. Subscribed to
events.stage_changed (and to the cohort calendar's changes) when the composition root
loads this module (tenants.load_reactions).

STAGE_MESSAGES is the one table of which message a move sends, so a single move, a bulk
action and the API all send the same one, once (unless the coordinator says not to).
"""

from __future__ import annotations

from tenants.applications import deadlines, links, messages, reminders
from tenants.applications.events import StageChange, stage_changed
from tenants.applications.models import Applicant
from tenants.audit.service import record
from tenants.cohorts.events import training_days_changed
from tenants.cohorts.models import Cohort


def _respond_by(change: StageChange) -> str:
    return deadlines.in_words(deadlines.reply_by(change.application))


def _hard_news(change: StageChange) -> dict:
    return {"sign_in_link": links.sign_in_link(), "support_link": links.support_link()}


def _invitation(change: StageChange) -> dict:
    return {"respond_by": _respond_by(change),
            "booking_link": links.interview_booking_link(change.application.id)}


def _offer(change: StageChange) -> dict:
    cohort = change.session.get(Cohort, change.application.cohort_id)
    return {"cohort_name": cohort.name, "respond_by": _respond_by(change),
            "sign_in_link": links.sign_in_link()}


def _update(change: StageChange) -> dict:
    return {"sign_in_link": links.sign_in_link()}


# Stage moved to -> (message template, its personalisation). Stages not listed send nothing
# (an interview booking sends its own confirmation, with the calendar file).
STAGE_MESSAGES = {
    "not_eligible": ("outcome_not_eligible", _hard_news),
    "not_shortlisted": ("outcome_not_shortlisted", _hard_news),
    "not_successful": ("outcome_not_successful", _hard_news),
    "interview_invited": ("interview_invitation", _invitation),
    "place_offered": ("place_offer", _offer),
    "withdrawn": (messages.UPDATE, _update),
}
# Moves that are told in their own message: a cancelled interview booking goes back to
# "interview invited", and its cancellation (with the calendar's cancel) says so.
TOLD_ELSEWHERE = frozenset({("interview_booked", "interview_invited")})


@stage_changed.connect
def audit_transition(change: StageChange) -> None:
    record("application.transition", "application", change.application.id, actor=change.actor,
           detail={"from": change.from_stage, "to": change.to_stage}, session=change.session)


@stage_changed.connect
def send_stage_message(change: StageChange) -> None:
    chosen = STAGE_MESSAGES.get(change.to_stage)
    if chosen is None or not change.notify or \
            (change.from_stage, change.to_stage) in TOLD_ELSEWHERE:
        return
    template, personalise = chosen
    applicant = change.session.get(Applicant, change.application.applicant_id)
    messages.queue(change.session, template, applicant, actor=change.actor,
                   application=change.application, **personalise(change))


@stage_changed.connect
def follow_with_reminders(change: StageChange) -> None:
    """No reminder reaches someone who has left, finished or had their outcome; a new
    trainee hears of each training day; an invitation or offer is reminded of its
    reply-by date."""
    deadlines.follow_stage(change.session, change.application, change.from_stage,
                           actor=change.actor, notify=change.notify)
    if change.to_stage in reminders.LEAVING:
        reminders.withdraw(change.session, change.application.id)
    elif change.from_stage == "interview_booked":
        # The interview happened (or the booking was cancelled): its reminder is done.
        reminders.withdraw(change.session, change.application.id, reminders.INTERVIEW)
    elif change.to_stage == "place_accepted":
        applicant = change.session.get(Applicant, change.application.applicant_id)
        reminders.queue_training_days(change.session, change.application, applicant,
                                      actor=change.actor, sign_in_link=links.sign_in_link())


@training_days_changed.connect
def remind_trainees_again(cohort, *, session, actor: str) -> None:
    reminders.resync_cohort(session, cohort.id, actor=actor)
