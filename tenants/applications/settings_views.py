"""The settings page for the trust's promises on time: respond to every EOI within N
working days, and the reply window of interview invitations and place offers (leads
change them; everyone who may read the settings sees them)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from tenants.applications import timings
from tenants.cohorts.forms import render_page, submit
from tenants.coordinators.auth import coordinator_required

bp = Blueprint("deadline_settings", __name__, template_folder="templates")


@bp.get("/")
@coordinator_required("settings:read")
def edit():
    settings = timings.current(db.session)
    return render_page("deadline_settings/edit.html", values={
        key: getattr(settings, key) for key in timings.DEFAULTS}, settings=settings,
        saved=request.args.get("saved") == "1", bounds=_bounds())


@bp.post("/")
@coordinator_required("settings:write")
def save():
    values, errors, saved = submit(timings.DeadlineSettingsSchema(), lambda data: timings.save(
        db.session, data, actor=current_user.get_id()))
    if saved:
        return redirect(url_for(".edit", saved=1))
    return render_page("deadline_settings/edit.html", values=values, errors=errors,
                       settings=timings.current(db.session), saved=False, bounds=_bounds())


def _bounds() -> dict:
    return {"eoi_response_working_days": timings.EOI_RESPONSE_DAYS,
            "reply_working_days": timings.REPLY_DAYS}
