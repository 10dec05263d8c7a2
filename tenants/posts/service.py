"""Teams, posts and placements. A placement fills the post and becomes the trainee's
outcome entry (tenants.training.service.record_outcome), in the caller's transaction.
Callers commit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from tenants.applications.models import Applicant, Application
from tenants.audit.service import record
from tenants.posts.models import Candidacy, Post, Team, WorkPreference
from tenants.training.service import Refused, record_outcome

COMPLETERS = ("completed", "outcome_recorded")
OPEN = ("planned", "advertised")


def teams(session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.kind, Team.name)))


def add_team(session, *, name: str, locality: str | None, kind: str, actor: str) -> Team:
    if session.scalar(select(Team.id).where(Team.name == name)) is not None:
        raise Refused(f"There is already a team called {name}")
    team = Team(name=name, locality=locality, kind=kind)
    session.add(team)
    session.flush()
    record("posts.team_added", "team", team.id, actor=actor, session=session)
    return team


def posts(session, statuses: tuple[str, ...] | None = None) -> list[tuple[Post, Team]]:
    query = select(Post, Team).join(Team, Team.id == Post.team_id)
    if statuses:
        query = query.where(Post.status.in_(statuses))
    return list(session.execute(query.order_by(Team.name, Post.title, Post.id)).tuples())


def add_post(session, *, team_id: int, actor: str, **values) -> Post:
    if session.get(Team, team_id) is None:
        raise Refused("Choose one of the trust's teams")
    post = Post(team_id=team_id, **values)
    session.add(post)
    session.flush()
    record("posts.post_added", "post", post.id, actor=actor,
           detail={"status": post.status}, session=session)
    return post


def set_status(session, post: Post, status: str, *, actor: str) -> None:
    if post.status == "filled":
        raise Refused("A filled post stays filled: its placement is in the outcome history")
    post.status = status
    record("posts.status", "post", post.id, actor=actor, detail={"status": status},
           session=session)


def _completer(session, application_id: int, cohort_id: int | None = None) -> Application:
    application = session.get(Application, application_id)
    if application is None or (cohort_id is not None and application.cohort_id != cohort_id):
        raise Refused("Choose someone from this cohort")
    if application.stage not in COMPLETERS:
        raise Refused("Only people who completed the training can be matched to posts")
    return application


def set_preference(session, *, application_id: int, cohort_id: int, wants_work: bool,
                   locality: str | None, max_hours_per_week, actor: str) -> None:
    _completer(session, application_id, cohort_id)
    preference = session.get(WorkPreference, application_id) or WorkPreference(
        application_id=application_id)
    preference.wants_work, preference.locality = wants_work, locality
    preference.max_hours_per_week, preference.updated_by = max_hours_per_week, actor
    preference.updated_at = dt.datetime.now(dt.UTC)
    session.add(preference)
    record("posts.preference", "application", application_id, actor=actor, session=session)


def express_interest(session, *, application_id: int, post_id: int, actor: str,
                     cohort_id: int | None = None) -> Candidacy:
    application = _completer(session, application_id, cohort_id)
    post = session.get(Post, post_id)
    if post is None or post.status not in OPEN:
        raise Refused("That post is not open")
    if session.scalar(select(Candidacy.id).where(Candidacy.post_id == post_id,
                                                 Candidacy.application_id == application.id)):
        raise Refused(f"{application.reference} is already interested in that post")
    candidacy = Candidacy(post_id=post_id, application_id=application.id, recorded_by=actor)
    session.add(candidacy)
    session.flush()
    record("posts.interest", "application", application.id, actor=actor,
           detail={"post_id": post_id}, session=session)
    return candidacy


def _open_candidacy(session, candidacy: Candidacy) -> Post:
    post = session.scalars(select(Post).where(Post.id == candidacy.post_id)
                           .with_for_update()).one()
    if candidacy.status in ("placed", "not_placed"):
        raise Refused("That candidacy is decided")
    if post.status not in OPEN:
        raise Refused("That post is no longer open")
    return post


def record_interview(session, candidacy: Candidacy, *, interview_at: dt.datetime | None,
                     actor: str) -> None:
    _open_candidacy(session, candidacy)
    candidacy.status, candidacy.interview_at = "interviewing", interview_at
    record("posts.interview", "application", candidacy.application_id, actor=actor,
           detail={"post_id": candidacy.post_id}, session=session)


def not_placed(session, candidacy: Candidacy, *, actor: str) -> None:
    _open_candidacy(session, candidacy)
    candidacy.status = "not_placed"
    record("posts.not_placed", "application", candidacy.application_id, actor=actor,
           detail={"post_id": candidacy.post_id}, session=session)


def outcome_kind(post: Post, team: Team) -> str:
    """The outcome a placement in `post` is (a partner or volunteering host's post is that)."""
    if team.kind != "trust_team":
        return team.kind
    return "paid_psw_post" if post.role == "psw" else "other_trust_role"


def place(session, candidacy: Candidacy, *, actor: str, placed_on: dt.date | None = None):
    """Place the candidate: the post is filled, the other candidates are not placed, and the
    placement joins the trainee's outcome history. Returns the outcome entry."""
    post = _open_candidacy(session, candidacy)
    team = session.get(Team, post.team_id)
    candidacy.status, candidacy.placed_on = "placed", placed_on or dt.date.today()
    post.status = "filled"
    session.execute(update(Candidacy).where(
        Candidacy.post_id == post.id, Candidacy.id != candidacy.id,
        Candidacy.status.in_(("interested", "interviewing"))).values(status="not_placed"))
    record("posts.placed", "application", candidacy.application_id, actor=actor,
           detail={"post_id": post.id}, session=session)
    return record_outcome(session, session.get(Application, candidacy.application_id),
                          kind=outcome_kind(post, team), detail=f"{post.title}, {team.name}",
                          hours_per_week=post.hours_per_week, actor=actor)


def matching(session, cohort_id: int) -> dict:
    """The completing cohort's matching board in four statements: the completers with
    their preferences, the open posts, and every candidacy of the cohort's people."""
    completers = session.execute(
        select(Application, Applicant.name, WorkPreference)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .outerjoin(WorkPreference, WorkPreference.application_id == Application.id)
        .where(Application.cohort_id == cohort_id, Application.stage.in_(COMPLETERS))
        .order_by(Applicant.name)).tuples().all()
    candidacies = session.execute(
        select(Candidacy, Post, Team).join(Post, Post.id == Candidacy.post_id)
        .join(Team, Team.id == Post.team_id)
        .join(Application, Application.id == Candidacy.application_id)
        .where(Application.cohort_id == cohort_id)
        .order_by(Candidacy.id)).tuples().all()
    by_person: dict[int, list] = {}
    for row in candidacies:
        by_person.setdefault(row[0].application_id, []).append(row)
    open_posts = posts(session, OPEN)
    return {"completers": completers, "candidacies": by_person, "open_posts": open_posts,
            "suggestions": {application.id: [p.id for p, t in open_posts
                                             if suits(preference, p, t)]
                            for application, _, preference in completers}}


def suits(preference: WorkPreference | None, post: Post, team: Team) -> bool:
    """A post suits someone who wants work, in their locality (if they gave one), within
    the most hours they want (if they gave them)."""
    if preference is None or not preference.wants_work:
        return False
    if preference.locality and team.locality and \
            preference.locality.strip().lower() != team.locality.strip().lower():
        return False
    return not (preference.max_hours_per_week and post.hours_per_week
                and float(post.hours_per_week) > float(preference.max_hours_per_week))

