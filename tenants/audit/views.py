"""The audit trail's search page, for leads."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from werkzeug.datastructures import MultiDict

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.audit import service
from tenants.audit.schemas import AuditSearchSchema
from tenants.coordinators.auth import coordinator_required

bp = Blueprint("audit", __name__, template_folder="templates")

FILTERS = ("action", "actor", "record_type", "record_id", "date_from", "date_to")


@bp.get("/audit")
@coordinator_required("audit:read")
def search():
    filled = MultiDict([(k, v) for k, v in request.args.items(multi=True) if v.strip()])
    values, errors = load_form(AuditSearchSchema(), filled)
    events = []
    if not errors:
        events = service.search(db.session, **values)
        used = sorted(k for k in FILTERS if values.get(k))
        service.record("audit.searched", detail={"filters": used})
        db.session.commit()
    next_before = events[-1].id if len(events) == service.PAGE_SIZE else None
    next_args = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    return render_template("audit/search.html", tenant=current_tenant(), values=values,
                           errors=errors, events=events, next_before=next_before,
                           next_args=next_args, utc=dt.UTC), (400 if errors else 200)
