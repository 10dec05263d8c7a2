"""DEMO ONLY: made-up applications, so the workspace and the reports have something to show.

The demo trust's earlier cohort (kept on its page as history) gets 36 EOIs with a plausible
spread of where people heard of the programme (drop-ins and care teams first, as the trusts'
pages suggest), decisions with the trust's structured reasons, equality answers, and, once
its training is over, completions and four placements in posts; a cohort open today gets a
few new EOIs. Made once: the references start "DEMO-". Names and e-mail addresses are
invented (applicant.example is a reserved domain).
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from tenants.applications.models import Applicant, Application, ApplicationEvent
from tenants.applications.models import EqualityMonitoring as Equality
from tenants.applications.pipeline import STAGES
from tenants.applications.schemas import EQUALITY_QUESTIONS
from tenants.cohorts.models import Cohort
from tenants.posts.models import Candidacy, Post, Team
from tenants.public.demo import DEMO_SEEDS
from tenants.reasons.models import DecisionReason
from tenants.training.models import Outcome

ACTOR = "demo seed"
PREFIX = "DEMO-"
FIRST = ("Sam", "Priya", "Jordan", "Amira", "Chris", "Kiran", "Ruth", "Dev", "Hana", "Owen",
         "Beth", "Lee")
LAST = ("Patel", "Smith", "Khan", "Jones", "Begum", "Taylor", "Wilson", "Hughes", "Clarke")
HEARD = (("drop_in", 8), ("care_team", 7), ("recovery_college", 6), ("social_media", 4),
         ("poster_leaflet", 3), ("nhs_website", 3), ("friend_family", 3), ("other", 1),
         (None, 1))
# (the stage each EOI ended at, the stage before the decision, the reason key), in order.
ENDS = ([("not_eligible", "eoi_submitted", "lived_experience")] * 3
        + [("not_eligible", "eoi_submitted", "right_to_work")]
        + [("not_shortlisted", "eligibility_checked", "criteria")] * 7
        + [("not_shortlisted", "eligibility_checked", "places")] * 4
        + [("withdrawn", "shortlisted", "personal")] * 3
        + [("not_successful", "interviewed", "interview_criteria")] * 3
        + [("not_successful", "interviewed", "places")] * 2
        + [("not_successful", "interview_booked", "not_attended")]
        + [("completed", None, None)] * 12)
PLACED = (("Hinckley and Bosworth CMHT", "Hinckley"), ("Melton and Rutland CMHT", "Melton"),
          ("Recovery College", "Leicester"), ("Charnwood CMHT", "Loughborough"))


def _when(cohort: Cohort, stage: str, n: int) -> dt.datetime:
    """A plausible time for a move, from the cohort's dates."""
    day = {"eoi_submitted": cohort.eoi_opens_on + dt.timedelta(days=n % 40),
           "in_training": cohort.starts_on,
           "completed": cohort.starts_on + dt.timedelta(weeks=12)}.get(stage)
    if day is None:  # decisions and interviews in the weeks after the window closes
        index = STAGES.index(stage) if stage in STAGES else 2
        day = cohort.eoi_closes_on + dt.timedelta(days=3 + 2 * max(index - 2, 0))
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


def _application(session, cohort: Cohort, n: int, heard_via: str | None, rng) -> Application:
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 5) % len(LAST)]}"
    applicant = Applicant(name=name, email=f"demo.{cohort.id}.{n}@applicant.example")
    session.add(applicant)
    session.flush()
    application = Application(
        applicant_id=applicant.id, cohort_id=cohort.id, reference=f"{PREFIX}{cohort.id}-{n:03d}",
        stage="eoi_submitted", answers={}, heard_via=heard_via, eligibility_outcome="eligible")
    session.add(application)
    session.flush()
    session.add(Equality(application_id=application.id, answers={
        key: rng.choice([value for value, _ in options])
        for key, _, options in EQUALITY_QUESTIONS if rng.random() < 0.9}))
    return application


def _move(session, application: Application, stages, cohort: Cohort, n: int,
          reason_id: int | None = None) -> None:
    """The application's history along `stages`, each move after the one before and none
    after now; the last carries the reason."""
    now = dt.datetime.now(dt.UTC)
    previous, at = None, None
    for stage in stages:
        when = _when(cohort, stage, n)
        at = min(now - dt.timedelta(hours=len(stages)), when if at is None
                 else max(when, at + dt.timedelta(days=2)))
        session.add(ApplicationEvent(application_id=application.id, actor=ACTOR, at=at,
                                     from_stage=previous, to_stage=stage,
                                     reason_id=reason_id if stage == stages[-1] else None))
        if stage == "eoi_submitted":
            application.submitted_at = at
        previous = stage
    application.stage = stages[-1]


def _path(before: str | None, end: str, finished: bool) -> list[str]:
    last = before or ("completed" if finished else "in_training")
    path = list(STAGES[1:STAGES.index(last) + 1])
    return path + ([end] if before else [])


def seed_earlier_cohort(session, cohort: Cohort, today: dt.date) -> None:
    rng = random.Random(cohort.id)
    heard = [source for source, count in HEARD for _ in range(count)]
    rng.shuffle(heard)
    reasons = {(r.kind, r.key): r.id for r in session.scalars(
        select(DecisionReason).where(DecisionReason.retired_at.is_(None)))}
    finished = cohort.starts_on + dt.timedelta(weeks=12) < today
    completers = []
    for n, ((end, before, key), source) in enumerate(zip(ENDS, heard, strict=True)):
        application = _application(session, cohort, n, source, rng)
        if end == "not_eligible":
            application.eligibility_outcome = "not_eligible"
        _move(session, application, _path(before, end, finished), cohort, n,
              reasons.get((end, key)))
        if end == "completed" and finished:
            completers.append(application)
    for (team_name, locality), application in zip(PLACED, completers, strict=False):
        _place(session, application, team_name, locality, today)


def _place(session, application: Application, team_name: str, locality: str,
           today: dt.date) -> None:
    team = session.scalars(select(Team).where(Team.name == team_name)).first()
    if team is None:
        team = Team(name=team_name, locality=locality,
                    kind="volunteering" if "College" in team_name else "trust_team")
        session.add(team)
        session.flush()
    post = Post(team_id=team.id, title=f"Peer support worker, {locality}", status="filled",
                hours_per_week=22.5, band="3")
    session.add(post)
    session.flush()
    session.add(Candidacy(post_id=post.id, application_id=application.id, status="placed",
                          placed_on=today - dt.timedelta(days=14), recorded_by=ACTOR))
    session.add(Outcome(application_id=application.id, detail=f"{post.title}, {team.name}",
                        kind="volunteering" if team.kind == "volunteering"
                        else "paid_psw_post", hours_per_week=22.5, recorded_by=ACTOR))
    session.add(ApplicationEvent(application_id=application.id, actor=ACTOR,
                                 from_stage="completed", to_stage="outcome_recorded"))
    application.stage = "outcome_recorded"


def seed_open_cohort(session, cohort: Cohort) -> None:
    rng = random.Random(cohort.id)
    for n, source in enumerate(("drop_in", "care_team", "social_media", "recovery_college",
                                None, "friend_family")):
        application = _application(session, cohort, n, source, rng)
        _move(session, application, ["eoi_submitted", "eligibility_checked"][:1 + n % 2],
              cohort, n)


def seed_applications(session, tenant, today: dt.date | None = None) -> None:
    """Demo applications in the earliest cohort that has started, and in one open today
    (for the demo trusts only)."""
    today = today or dt.date.today()
    if tenant.slug not in DEMO_SEEDS or session.scalar(select(Application.id).where(
            Application.reference.startswith(PREFIX)).limit(1)):
        return
    cohorts = list(session.scalars(select(Cohort).order_by(Cohort.starts_on, Cohort.id)))
    earlier = next((c for c in cohorts if c.starts_on < today), None)
    if earlier is not None:
        seed_earlier_cohort(session, earlier, today)
    open_now = next((c for c in cohorts if c.eoi_opens_on <= today <= c.eoi_closes_on), None)
    if open_now is not None:
        seed_open_cohort(session, open_now)
    session.flush()
