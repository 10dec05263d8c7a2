"""Coordinator pages: the trust's teams and posts, and matching a completing cohort's
people to posts (interest, interview, placement)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, load_form
from tenants.applications.models import Application
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.posts import service
from tenants.posts.models import Candidacy, Post
from tenants.posts.schemas import (
    ROLE_LABELS,
    SETTABLE_STATUSES,
    STATUS_LABELS,
    TEAM_KIND_LABELS,
    CandidacyActionSchema,
    InterestSchema,
    PostSchema,
    PostStatusSchema,
    PreferenceSchema,
    TeamSchema,
)
from tenants.training.service import OUTCOME_LABELS, Refused
from tenants.workspace.views import BIGGEST_ID, get_cohort, render

bp = Blueprint("posts", __name__, template_folder="templates")
LABELS = dict(team_kinds=TEAM_KIND_LABELS, roles=ROLE_LABELS, statuses=STATUS_LABELS,
              settable=SETTABLE_STATUSES, outcome_labels=OUTCOME_LABELS)


def _get(model, record_id: int):
    found = db.session.get(model, record_id) if record_id < BIGGEST_ID else None
    if found is None:
        abort(404)
    return found


def _index(errors=None, values=None):
    teams = service.teams(db.session)
    context = dict(teams=teams, posts=service.posts(db.session), values=values or {},
                   team_choices=[(str(t.id), t.name) for t in teams], errors=errors or {},
                   **LABELS)
    db.session.commit()
    return render("posts/index.html", 400 if errors else 200, **context)


@bp.get("/")
@coordinator_required("posts:read")
def index():
    return _index()


def _submit(schema, apply, page, on_success):
    """Load the form, apply it, commit and redirect; else show `page` with the errors."""
    values, errors = load_form(schema, request.form)
    if not errors:
        try:
            apply(values)
            db.session.commit()
            return redirect(on_success)
        except Refused as refused:
            db.session.rollback()
            errors = {GENERIC_FIELD: refused.message}
    return page(errors, values)


@bp.post("/teams")
@coordinator_required("posts:write")
def add_team():
    return _submit(TeamSchema(), lambda v: service.add_team(
        db.session, actor=current_user.get_id(), **v), _index, url_for(".index"))


@bp.post("/")
@coordinator_required("posts:write")
def add_post():
    return _submit(PostSchema(), lambda v: service.add_post(
        db.session, actor=current_user.get_id(), **v), _index, url_for(".index"))


@bp.post("/<int:post_id>/status")
@coordinator_required("posts:write")
def post_status(post_id: int):
    post = _get(Post, post_id)
    return _submit(PostStatusSchema(), lambda v: service.set_status(
        db.session, post, v["status"], actor=current_user.get_id()), _index,
        url_for(".index"))


def _matching_page(cohort):
    def page(errors=None, values=None):
        board = service.matching(db.session, cohort.id)
        record("posts.matching_view", "cohort", cohort.id)
        db.session.commit()
        return render("posts/matching.html", 400 if errors else 200, cohort=cohort,
                      values=values or {}, errors=errors or {}, **board, **LABELS)
    return page


@bp.get("/cohorts/<int:cohort_id>/matching")
@coordinator_required("posts:read")
def matching(cohort_id: int):
    return _matching_page(get_cohort(cohort_id))()


@bp.post("/cohorts/<int:cohort_id>/preferences")
@coordinator_required("posts:write")
def preference(cohort_id: int):
    cohort = get_cohort(cohort_id)
    return _submit(PreferenceSchema(), lambda v: service.set_preference(
        db.session, cohort_id=cohort.id, actor=current_user.get_id(), **v),
        _matching_page(cohort), url_for(".matching", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/interest")
@coordinator_required("posts:write")
def interest(cohort_id: int):
    cohort = get_cohort(cohort_id)
    return _submit(InterestSchema(), lambda v: service.express_interest(
        db.session, cohort_id=cohort.id, actor=current_user.get_id(), **v),
        _matching_page(cohort), url_for(".matching", cohort_id=cohort.id))


@bp.post("/cohorts/<int:cohort_id>/candidacies/<int:candidacy_id>")
@coordinator_required("posts:write")
def candidacy(cohort_id: int, candidacy_id: int):
    cohort = get_cohort(cohort_id)
    found = _get(Candidacy, candidacy_id)
    if db.session.get(Application, found.application_id).cohort_id != cohort.id:
        abort(404)

    def apply(values):
        actor = current_user.get_id()
        if values["action"] == "interview":
            service.record_interview(db.session, found, interview_at=values["interview_at"],
                                     actor=actor)
        elif values["action"] == "place":
            service.place(db.session, found, placed_on=values["placed_on"], actor=actor)
        else:
            service.not_placed(db.session, found, actor=actor)

    return _submit(CandidacyActionSchema(), apply, _matching_page(cohort),
                   url_for(".matching", cohort_id=cohort.id))
