"""What someone wanted from work and the posts they were matched to, for subject access
and erasure (only where they wanted to work and their hours are personal enough to erase:
candidacies are kept for the placement figures)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenants.applications.subjects import Subject, overwrite, register_domain
from tenants.posts.models import Candidacy, Post, Team, WorkPreference


def report(session: Session, subject: Subject) -> dict:
    ids, ref = subject.application_ids, subject.references.get
    preferences = session.scalars(select(WorkPreference).where(
        WorkPreference.application_id.in_(ids)))
    candidacies = session.execute(
        select(Candidacy, Post.title, Team.name).join(Post, Post.id == Candidacy.post_id)
        .join(Team, Team.id == Post.team_id).where(Candidacy.application_id.in_(ids))
        .order_by(Candidacy.id))
    return {
        "work_preferences": [{"application": ref(p.application_id), "wants_work": p.wants_work,
                              "locality": p.locality,
                              "max_hours_per_week": None if p.max_hours_per_week is None
                              else float(p.max_hours_per_week), "updated_by": p.updated_by}
                             for p in preferences],
        "posts": [{"application": ref(c.application_id), "post": title, "team": team,
                   "status": c.status, "interview_at": c.interview_at,
                   "placed_on": c.placed_on, "recorded_by": c.recorded_by}
                  for c, title, team in candidacies],
    }


def scrub(session: Session, subject: Subject) -> dict[str, int]:
    return {"work_preferences": overwrite(session, WorkPreference.application_id,
                                          subject.application_ids, locality=None,
                                          max_hours_per_week=None)}


register_domain("posts", report=report, scrub=scrub)
