"""Settings: each trust's reasons for decisions. A lead adds, rewords (a new version) and
retires them; everyone in the workspace may read them."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD
from peerpath.refusal import Refused
from tenants.cohorts.forms import get_or_404, render_page, submit
from tenants.coordinators.auth import coordinator_required
from tenants.reasons import service
from tenants.reasons.models import KIND_LABELS, DecisionReason
from tenants.reasons.schemas import NewReasonSchema, ReasonSchema

bp = Blueprint("reason_settings", __name__, template_folder="templates")


@bp.get("/")
@coordinator_required("settings:read")
def reasons():
    return render_page("reasons/index.html", reasons=service.by_kind(db.session),
                       retired=service.retired(db.session), kind_labels=KIND_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@coordinator_required("settings:write")
def new_reason():
    values, errors = {"kind": request.args.get("kind")}, {}
    if request.method == "POST":
        values, errors, saved = submit(NewReasonSchema(), lambda data: service.add(
            db.session, kind=data["kind"], label=data["label"], feedback=data["feedback"],
            actor=current_user.get_id()))
        if saved:
            return redirect(url_for(".reasons"))
    return render_page("reasons/form.html", reason=None, values=values, errors=errors,
                       kind_choices=list(KIND_LABELS.items()))


@bp.route("/<int:reason_id>/edit", methods=["GET", "POST"])
@coordinator_required("settings:write")
def reword(reason_id: int):
    reason = get_or_404(DecisionReason, reason_id)
    values, errors = {"label": reason.label, "feedback": reason.feedback}, {}
    if request.method == "POST":
        values, errors, saved = submit(ReasonSchema(), lambda data: service.reword(
            db.session, reason, label=data["label"], feedback=data["feedback"],
            actor=current_user.get_id()))
        if saved:
            return redirect(url_for(".reasons"))
    return render_page("reasons/form.html", reason=reason, values=values, errors=errors,
                       kind_label=KIND_LABELS[reason.kind])


@bp.post("/<int:reason_id>/retire")
@coordinator_required("settings:write")
def retire(reason_id: int):
    reason = get_or_404(DecisionReason, reason_id)
    try:
        service.retire(db.session, reason, actor=current_user.get_id())
    except Refused as refused:
        db.session.rollback()
        return render_page("reasons/index.html", reasons=service.by_kind(db.session),
                           retired=service.retired(db.session), kind_labels=KIND_LABELS,
                           errors={GENERIC_FIELD: refused.message})
    db.session.commit()
    return redirect(url_for(".reasons"))
