"""A lead's pages for the trust's public page: its blocks, crisis lines and stories; and the
public address of a story's photo (shown only while the story's consent stands)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.refusal import Refused
from tenants.applications import crisis
from tenants.applications.models import CrisisLine
from tenants.cohorts.forms import date_error_ids, get_or_404, render_page, submit
from tenants.coordinators.auth import coordinator_required
from tenants.trustpage import photos, service
from tenants.trustpage.models import Story
from tenants.trustpage.schemas import CrisisLineSchema, StorySchema, TrustPageSchema

bp = Blueprint("trust_page_settings", __name__, template_folder="templates")
SETTINGS = "/coordinator/settings"


def _yes_no(page) -> dict:
    """The saved page as the form's values (radios say "yes" or "no")."""
    values = {name: getattr(page, name) for name in service.BLOCK_FIELDS}
    for name in ("places_limited", "course_is_free", "disability_confident"):
        values[name] = "yes" if values[name] else "no"
    return values


@bp.route(SETTINGS + "/trust-page", methods=["GET", "POST"])
@coordinator_required("trust_page:write")
def edit_page():
    values, errors = _yes_no(service.page(db.session)), {}
    if request.method == "POST":
        values, errors, saved = submit(TrustPageSchema(), lambda data: service.save_page(
            db.session, data, current_user.get_id()))
        if saved:
            return redirect(url_for(".edit_page", saved=1))
    return render_page("trustpage/edit_page.html", values=values, errors=errors,
                       error_ids=date_error_ids(TrustPageSchema()),
                       saved=request.args.get("saved") == "1")


@bp.route(SETTINGS + "/crisis-lines", methods=["GET", "POST"])
@coordinator_required("trust_page:write")
def crisis_lines():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors, saved = submit(CrisisLineSchema(), lambda data: crisis.add_line(
            db.session, data, current_user.get_id()))
        if saved:
            return redirect(url_for(".crisis_lines"))
    return render_page("trustpage/crisis_lines.html", lines=crisis.own_lines(db.session),
                       values=values, errors=errors)


@bp.post(SETTINGS + "/crisis-lines/<int:line_id>/remove")
@coordinator_required("trust_page:write")
def remove_crisis_line(line_id: int):
    try:
        crisis.remove_line(db.session, get_or_404(CrisisLine, line_id), current_user.get_id())
    except Refused as refused:
        db.session.rollback()
        return render_page("trustpage/crisis_lines.html", lines=crisis.own_lines(db.session),
                           values={}, errors={"_form": str(refused)})
    db.session.commit()
    return redirect(url_for(".crisis_lines"))


@bp.route(SETTINGS + "/stories", methods=["GET", "POST"])
@coordinator_required("trust_page:write")
def stories():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors, saved = submit(StorySchema(), lambda data: service.add_story(
            db.session, {**data, "photo": photos.uploaded_photo(request.files.get("photo"),
                                                                data.get("photo_alt"))},
            current_user.get_id()))
        if saved:
            return redirect(url_for(".stories"))
    return render_page("trustpage/stories.html", stories=service.stories(db.session),
                       values=values, errors=errors,
                       error_ids={**date_error_ids(StorySchema()), "photo": "photo"})


@bp.post(SETTINGS + "/stories/<int:story_id>/withdraw")
@coordinator_required("trust_page:write")
def withdraw_story(story_id: int):
    service.withdraw_story(db.session, get_or_404(Story, story_id), current_user.get_id())
    db.session.commit()
    return redirect(url_for(".stories"))


@bp.get("/stories/<int:story_id>/photo")
def story_photo(story_id: int):
    story = service.shown_story(db.session, story_id)
    if story is None or story.photo is None:
        abort(404)
    response = Response(story.photo, mimetype=story.photo_type)
    # Withdrawal hides the photo at once: no cache may keep serving it.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
