"""The reports pages: every report with a chart and its table, and a CSV of each.
Who may read them is the permission table's "reports:read". Counts only, never a person."""

from __future__ import annotations

from flask import Blueprint, Response, abort
from flask_login import current_user

from peerpath.extensions import db
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.reports import service
from tenants.workspace.views import render

bp = Blueprint("reports", __name__, template_folder="templates")
CHART_WIDTH = 480


@bp.get("/")
@coordinator_required("reports:read")
def index():
    tables = service.all_tables(db.session)
    record("reports.view", None, None)
    db.session.commit()
    return render("reports/index.html", tables=tables, chart_width=CHART_WIDTH)[0]


@bp.get("/<name>.csv")
@coordinator_required("reports:read")
def download(name: str):
    tables = {table.key: table for table in service.all_tables(db.session)}
    if name not in tables:
        abort(404)
    record("reports.export", None, None, actor=current_user.get_id(), detail={"report": name})
    db.session.commit()
    return Response(service.to_csv(tables[name]), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}.csv"'})
