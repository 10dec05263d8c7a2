"""Places, training and outcomes.

Offers lock the cohort row (SELECT ... FOR UPDATE) before counting the places already
offered, so concurrent offers queue up behind each other and never exceed the capacity.
Callers commit.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from peerpath.refusal import Refused
from tenants.applications import messages
from tenants.applications.links import sign_in_link
from tenants.applications.models import Applicant, Application, ApplicationEvent
from tenants.applications.service import places_offered, transition
from tenants.audit.service import record
from tenants.cohorts import gates
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.conditions import service as conditions
from tenants.notifications.service import withdraw_unsent
from tenants.training.models import (
    FOLLOW_UP_MONTHS,
    Attendance,
    CompletionRule,
    FollowUp,
    Outcome,
    PlacementHours,
)

FOLLOW_UP_REMINDER = "follow_up_reminder"
# One reminder, this long after a follow-up falls due, unless it is answered by then.
FOLLOW_UP_REMINDER_AFTER = dt.timedelta(days=14)
OUTCOME_LABELS = {
    "paid_psw_post": "Paid peer support worker post",
    "other_trust_role": "Another role in the trust",
    "partner_organisation": "A role with a partner organisation",
    "volunteering": "Volunteering (for example, at a Recovery College)",
    "studying": "Studying or training",
    "not_yet": "Not working yet",
    "something_else": "Something else",
}


def lock_cohort(session, cohort_id: int) -> Cohort:
    return session.scalars(select(Cohort).where(Cohort.id == cohort_id)
                           .with_for_update(of=Cohort)
                           .execution_options(populate_existing=True)).one()


def offer_place(session, application: Application, *, actor: str) -> None:
    """Offer a place if one is left; raises Refused when the cohort is full."""
    cohort = lock_cohort(session, application.cohort_id)
    session.refresh(application)  # the stage as it is now, after waiting for the lock
    if places_offered(session, cohort.id) >= cohort.capacity:
        raise Refused(f"Every place on {cohort.name} has been offered")
    # The offer message goes with the stage change (applications.reactions).
    transition(session, application, "place_offered", actor=actor)


def accept(session, application: Application, *, actor: str) -> None:
    """The applicant takes the place. The stage change queues their training-day reminders
    and, when that fills the cohort, tells the reserve list (shortlisting.reactions)."""
    lock_cohort(session, application.cohort_id)
    transition(session, application, "place_accepted", actor=actor)


def waiting_list(session, cohort_id: int) -> list[Application]:
    """Interviewed applicants on the waiting list, longest waiting first."""
    joined = (select(ApplicationEvent.application_id, func.max(ApplicationEvent.at).label("at"))
              .where(ApplicationEvent.to_stage == "waiting_list")
              .group_by(ApplicationEvent.application_id).subquery())
    return list(session.scalars(
        select(Application).join(joined, joined.c.application_id == Application.id)
        .where(Application.cohort_id == cohort_id, Application.stage == "waiting_list")
        .order_by(joined.c.at, Application.id)))


def decline(session, application: Application, *, actor: str) -> None:
    """The applicant turns the place down; the stage change offers the freed place to the
    next on the waiting list (training.reactions).

    The cohort is locked first, as an offer, an acceptance and a lapse do, and the stage is
    read again after the lock: a decline and a lapse (or an offer) at the same moment queue
    up behind each other instead of waiting on each other in a circle, and a place that
    lapsed meanwhile is not given back twice."""
    lock_cohort(session, application.cohort_id)
    session.refresh(application, with_for_update=True)
    if application.stage != "place_offered":
        raise Refused("Only an offered place can be declined")
    transition(session, application, "withdrawn", actor=actor,
               reason="Declined the place offered")


def offer_to_waiting_list(session, cohort_id: int, *, actor: str) -> Application | None:
    """Offer a freed place to the longest waiting who can take it; returns them, if any."""
    for candidate in waiting_list(session, cohort_id):
        try:
            with session.begin_nested():
                offer_place(session, candidate, actor=actor)
        except Refused:
            continue
        return candidate
    return None


def completion_rule(session, cohort_id: int) -> CompletionRule:
    return session.get(CompletionRule, cohort_id) or CompletionRule(
        cohort_id=cohort_id, min_attendance_percent=80, min_placement_hours=0)


def set_completion_rule(session, cohort_id: int, *, min_attendance_percent: int,
                        min_placement_hours: int, actor: str) -> None:
    session.execute(insert(CompletionRule).values(
        cohort_id=cohort_id, min_attendance_percent=min_attendance_percent,
        min_placement_hours=min_placement_hours).on_conflict_do_update(
        index_elements=["cohort_id"], set_={"min_attendance_percent": min_attendance_percent,
                                            "min_placement_hours": min_placement_hours}))
    record("cohort.completion_rule", "cohort", cohort_id, actor=actor, session=session)


TRAINEE_STAGES = ("place_accepted", "in_training", "completed", "outcome_recorded")


def trainees(session, cohort_id: int):
    return session.execute(
        select(Application, Applicant.name).join(Applicant,
                                                 Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id, Application.stage.in_(TRAINEE_STAGES))
        .order_by(Applicant.name)).all()


def start_training(session, cohort_id: int, *, actor: str, on: dt.date | None = None) -> int:
    """Start everyone holding an accepted place, from the first training day, except those
    with a condition of their place unmet and no lead's override (conditions.held_back
    lists them for the places page)."""
    gates.check_training_start(session.get(Cohort, cohort_id), on or gates.today())
    held = {application.id for application, _, _ in conditions.held_back(session, cohort_id)}
    started = 0
    for application, _ in trainees(session, cohort_id):
        if application.stage == "place_accepted" and application.id not in held:
            transition(session, application, "in_training", actor=actor)
            started += 1
    return started


def register(session, day: TrainingDay) -> dict[int, str]:
    return dict(session.execute(select(Attendance.application_id, Attendance.status).where(
        Attendance.training_day_id == day.id)).all())


def mark_attendance(session, day: TrainingDay, statuses: dict[int, str], *,
                    actor: str, on: dt.date | None = None) -> None:
    gates.check_register(day, on or gates.today())
    allowed = {a.id for a, _ in trainees(session, day.cohort_id)}
    for application_id, status in statuses.items():
        if application_id not in allowed:
            continue
        row = insert(Attendance).values(
            training_day_id=day.id, application_id=application_id, status=status,
            recorded_by=actor)
        # The new row's recorded_at (its default, now()): Citus refuses now() itself in the
        # DO UPDATE clause of a distributed table (only IMMUTABLE functions may be there).
        session.execute(row.on_conflict_do_update(
            index_elements=["training_day_id", "application_id"],
            set_={"status": status, "recorded_by": actor,
                  "recorded_at": row.excluded.recorded_at}))
    record("training.attendance", "training_day", day.id, actor=actor,
           detail={"count": len(statuses)}, session=session)


def add_placement_hours(session, application: Application, *, on_date: dt.date, hours,
                        actor: str) -> None:
    session.add(PlacementHours(application_id=application.id, on_date=on_date, hours=hours,
                               recorded_by=actor))
    record("training.placement_hours", "application", application.id, actor=actor,
           session=session)


def progress(session, cohort: Cohort) -> dict[int, dict]:
    """Per trainee: days attended, percentage of the cohort's days, placement hours."""
    day_count = len(cohort.days)
    present = dict(session.execute(
        select(Attendance.application_id, func.count())
        .join(TrainingDay, TrainingDay.id == Attendance.training_day_id)
        .where(TrainingDay.cohort_id == cohort.id, Attendance.status == "present")
        .group_by(Attendance.application_id)).all())
    hours = dict(session.execute(
        select(PlacementHours.application_id, func.sum(PlacementHours.hours))
        .join(Application, Application.id == PlacementHours.application_id)
        .where(Application.cohort_id == cohort.id)
        .group_by(PlacementHours.application_id)).all())
    return {a.id: {"present": present.get(a.id, 0), "hours": float(hours.get(a.id, 0) or 0),
                   "percent": round(100 * present.get(a.id, 0) / day_count) if day_count
                   else 0} for a, _ in trainees(session, cohort.id)}


def complete(session, application: Application, *, actor: str,
             today: dt.date | None = None) -> None:
    """Mark training complete if attendance (and placement hours) meet the cohort's rule,
    from the last training day on, and schedule the 3, 6 and 12-month follow-ups counted
    from that last day."""
    cohort = session.get(Cohort, application.cohort_id)
    today = today or gates.today()
    gates.check_completion(cohort, today)
    rule = completion_rule(session, cohort.id)
    mine = progress(session, cohort).get(application.id)
    if mine is None or application.stage != "in_training":
        raise Refused("Only someone in training can complete it")
    if mine["percent"] < rule.min_attendance_percent:
        raise Refused(f"Attendance is {mine['percent']}%: completing needs at least "
                      f"{rule.min_attendance_percent}%")
    if cohort.course.format != "classroom" and mine["hours"] < rule.min_placement_hours:
        raise Refused(f"{mine['hours']:g} placement hours recorded: completing needs at least "
                      f"{rule.min_placement_hours}")
    transition(session, application, "completed", actor=actor)
    schedule_follow_ups(session, application, gates.last_training_day(cohort), actor=actor)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def schedule_follow_ups(session, application: Application, completed_on: dt.date, *,
                        actor: str) -> None:
    applicant = session.get(Applicant, application.applicant_id)
    for months in FOLLOW_UP_MONTHS:
        due = _months_later(completed_on, months)
        follow_up = FollowUp(application_id=application.id, months=months, due_on=due)
        session.add(follow_up)
        session.flush()
        sent_at = dt.datetime.combine(due, dt.time(10), dt.UTC)
        messages.queue(session, "follow_up", applicant, actor=actor, application=application,
                       months=str(months), sign_in_link=sign_in_link(), not_before=sent_at)
        messages.queue(session, FOLLOW_UP_REMINDER, applicant, actor=actor,
                       related=("follow_up", follow_up.id), months=str(months),
                       sign_in_link=sign_in_link(),
                       not_before=sent_at + FOLLOW_UP_REMINDER_AFTER)


def record_outcome(session, application: Application, *, kind: str, detail: str | None,
                   actor: str, hours_per_week=None, wants_support: bool | None = None,
                   follow_up: FollowUp | None = None) -> Outcome:
    """Add what was heard to the application's outcome history (earlier entries are kept).
    It answers `follow_up`, or else the follow-up due most recently if that one is not
    answered yet; an answered follow-up's reminder is taken back."""
    if application.stage not in ("completed", "outcome_recorded"):
        raise Refused("Outcomes are recorded after someone completes the training")
    due = follow_up or follow_up_due(session, application.id, dt.date.today())
    outcome = Outcome(application_id=application.id, kind=kind, detail=detail,
                      hours_per_week=hours_per_week, wants_support=wants_support,
                      follow_up_id=due.id if due else None, recorded_by=actor)
    session.add(outcome)
    if application.stage == "completed":
        transition(session, application, "outcome_recorded", actor=actor)
    if due is not None:
        due.kind, due.recorded_at = kind, func.now()
        withdraw_unsent(session, FOLLOW_UP_REMINDER, ("follow_up", due.id))
    # The kind only: what someone is doing now and whether they want support stay out of
    # the audit detail (the outcome row holds them, behind the trust's role).
    record("training.outcome", "application", application.id, actor=actor,
           detail={"kind": kind, "follow_up_months": due.months if due else None},
           session=session)
    session.flush()
    return outcome


def answer_follow_up(session, application: Application, values: dict, *,
                     actor: str, follow_up: FollowUp | None = None) -> Outcome:
    """A follow-up answer becomes an outcome entry: the applicant's own, from their
    account, or one a coordinator heard on a phone call (`follow_up` names which)."""
    return record_outcome(session, application, kind=values["doing_now"],
                          detail=values.get("detail"),
                          hours_per_week=values.get("hours_per_week"),
                          wants_support=values["wants_support"] == "yes", actor=actor,
                          follow_up=follow_up)


def follow_up_due(session, application_id: int, on: dt.date) -> FollowUp | None:
    """The follow-up an answer given on `on` would answer, if one is due and unanswered."""
    return session.scalars(select(FollowUp).where(
        FollowUp.application_id == application_id, FollowUp.recorded_at.is_(None),
        FollowUp.due_on <= on).order_by(FollowUp.due_on.desc())).first()


def follow_ups_due(session, on: dt.date):
    """Follow-ups due by `on` and not answered yet (the coordinators' due-list)."""
    return session.execute(
        select(FollowUp, Application.reference, Application.cohort_id)
        .join(Application, Application.id == FollowUp.application_id)
        .where(FollowUp.due_on <= on, FollowUp.recorded_at.is_(None))
        .order_by(FollowUp.due_on)).all()


def outcome_history(session, cohort_id: int) -> dict[int, list[Outcome]]:
    """Each application's outcomes in the cohort, oldest first (the newest is the current)."""
    history: dict[int, list[Outcome]] = {}
    for outcome in session.scalars(
            select(Outcome).join(Application, Application.id == Outcome.application_id)
            .where(Application.cohort_id == cohort_id)
            .order_by(Outcome.recorded_at, Outcome.id)):
        history.setdefault(outcome.application_id, []).append(outcome)
    return history


def outcomes(session, cohort_id: int) -> dict[int, Outcome]:
    """Each application's newest outcome in the cohort."""
    return {application_id: entries[-1]
            for application_id, entries in outcome_history(session, cohort_id).items()}


def offers(session, cohort_id: int):
    return session.execute(
        select(Application, Applicant.name).join(Applicant,
                                                 Applicant.id == Application.applicant_id)
        .where(Application.cohort_id == cohort_id,
               Application.stage.in_(("interviewed", "place_offered", "waiting_list")))
        .order_by(Application.stage, Applicant.name)).all()
