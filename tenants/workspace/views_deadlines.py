"""The team's deadlines in the workspace: the EOIs to respond to (every cohort, the least time
left first), recording a response made another way, and giving an applicant longer to reply
to an invitation or an offer. The rules are in tenants.applications.responses and
.deadlines; these pages read the form, call one service and render."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from peerpath.extensions import db
from peerpath.refusal import Refused
from peerpath.tenancy import current_tenant
from tenants.applications import responses, timings
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.permissions import permits
from tenants.workspace import service
from tenants.workspace import views as workspace
from tenants.workspace.schemas import ExtendReplyBySchema, RecordResponseSchema

bp = Blueprint("eoi_responses", __name__, template_folder="templates")


@bp.get("/eoi-responses/")
@coordinator_required("applications:read")
def index():
    rows = responses.awaiting(db.session)
    return render_template("workspace/eoi_responses.html", tenant=current_tenant(), rows=rows,
                           overdue=sum(row.overdue for row in rows),
                           days=timings.eoi_response_days(db.session),
                           can_change=permits(current_user, "settings:write"))


def _on_application(cohort_id: int, application_id: int, schema, apply):
    return workspace.application_form(cohort_id, application_id, schema, apply, shown=Refused)


@bp.post("/cohorts/<int:cohort_id>/applications/<int:application_id>/responded")
@coordinator_required("applications:write")
def record_response(cohort_id: int, application_id: int):
    return _on_application(cohort_id, application_id, RecordResponseSchema(),
                           lambda a, v: responses.record_response(
                               db.session, a, v["how"], actor=current_user.get_id()))


@bp.post("/cohorts/<int:cohort_id>/applications/<int:application_id>/reply-by")
@coordinator_required("decisions:write")
def extend_reply_by(cohort_id: int, application_id: int):
    return _on_application(cohort_id, application_id, ExtendReplyBySchema(),
                           lambda a, v: service.extend_reply_by(
                               db.session, a, v["reply_by"], v["extension_reason"],
                               actor=current_user.get_id()))
