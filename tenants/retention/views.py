"""The lead's retention settings and run log."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.queue import enqueue
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.retention import registry, service
from tenants.retention.schemas import policy_schema

bp = Blueprint("retention", __name__, template_folder="templates")

RETENTION_JOB = "worker.retention.run_retention"


def filled(form) -> MultiDict:
    """The form without its empty fields, so they load as their defaults."""
    return MultiDict([(k, v) for k, v in form.items(multi=True) if v.strip()])


@bp.route("/retention", methods=["GET", "POST"])
@coordinator_required("retention:write")
def policy():
    values, errors = dict(service.policy(db.session).months), {}
    if request.method == "POST":
        values, errors = load_form(policy_schema(), filled(request.form))
        if not errors:
            service.save_policy(db.session, values, actor=current_user.get_id())
            return redirect(url_for("retention.policy", saved=1))
    return render_template("retention/policy.html", tenant=current_tenant(), values=values,
                           errors=errors, categories=registry.CATEGORIES.values(),
                           runs=service.recent_runs(db.session),
                           saved=request.args.get("saved") == "1",
                           queued=request.args.get("queued") == "1", utc=dt.UTC), \
        (400 if errors else 200)


@bp.post("/retention/run")
@coordinator_required("retention:write")
def run_now():
    slug = current_tenant().slug
    enqueue(RETENTION_JOB, slug, job_id=f"retention-{slug}")
    record("retention.run_requested")
    db.session.commit()
    return redirect(url_for("retention.policy", queued=1))
