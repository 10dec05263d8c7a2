"""The reports pages: every report with a chart and its table, and a CSV of each.
Who may read them is the permission table's "reports:read"; the equality monitoring report
also needs "equality:read", as the cohort's equality page does. Counts only, never a
person."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user

from peerpath.extensions import db
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.permissions import permits
from tenants.reports import service, tables
from tenants.workspace.views import render

bp = Blueprint("reports", __name__, template_folder="templates")
CHART_WIDTH = 480


def may_see_equality() -> bool:
    return permits(current_user, "equality:read")


@bp.get("/")
@coordinator_required("reports:read")
def index():
    shown = service.all_tables(db.session, with_equality=may_see_equality())
    record("reports.view", None, None)
    db.session.commit()
    return render("reports/index.html", tables=shown, chart_width=CHART_WIDTH)[0]


@bp.get("/<name>.csv")
@coordinator_required("reports:read")
def download(name: str):
    if name == "equality" and not may_see_equality():
        abort(403)
    by_key = {table.key: table for table in service.all_tables(
        db.session, with_equality=may_see_equality())}
    if name not in by_key:
        abort(404)
    record("reports.export", None, None, actor=current_user.get_id(), detail={"report": name})
    db.session.commit()
    return Response(tables.to_csv(by_key[name]), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})
