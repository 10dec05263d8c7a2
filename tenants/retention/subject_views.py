"""Subject access (HTML and JSON) and erasure of one applicant, for coordinators."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.coordinators.auth import coordinator_required
from tenants.retention import registry, subject_access
from tenants.retention.schemas import ErasureSchema, SubjectLookupSchema
from tenants.retention.views import filled

bp = Blueprint("subject_access", __name__, template_folder="templates")


def _checked_ref(subject_ref: str) -> str:
    try:
        return subject_access.check_ref(subject_ref)
    except subject_access.SubjectRefInvalid:
        abort(404)


@bp.route("/subject-access", methods=["GET", "POST"])
@coordinator_required("subject_access:read")
def lookup():
    values, errors = {}, {}
    if request.method == "POST":
        values, errors = load_form(SubjectLookupSchema(), request.form)
        if not errors:
            return redirect(url_for("subject_access.report", subject_ref=values["subject_ref"]))
    return render_template("retention/subject_lookup.html", tenant=current_tenant(),
                           values=values, errors=errors), (400 if errors else 200)


@bp.get("/subject-access/<subject_ref>")
@coordinator_required("subject_access:read")
def report(subject_ref):
    data = subject_access.gather(db.session, _checked_ref(subject_ref))
    return render_template("retention/subject_report.html", tenant=current_tenant(),
                           report=data)


@bp.get("/subject-access/<subject_ref>.json")
@coordinator_required("subject_access:read")
def report_json(subject_ref):
    data = subject_access.gather(db.session, _checked_ref(subject_ref), export=True)
    return Response(subject_access.to_json(data, current_tenant().slug),
                    mimetype="application/json",
                    headers={"Content-Disposition":
                             f'attachment; filename="subject-access-{subject_ref}.json"'})


@bp.route("/subject-access/<subject_ref>/erase", methods=["GET", "POST"])
@coordinator_required("erasure:write")
def erase(subject_ref):
    subject_ref = _checked_ref(subject_ref)
    values, errors = {"keep": []}, {}
    if request.method == "POST":
        values, errors = load_form(ErasureSchema(), filled(request.form), list_fields=("keep",))
        unknown = set(values.get("keep") or ()) - set(registry.ERASERS)
        if unknown and not errors:
            errors = {"keep": "Choose from the listed kinds of data"}
        if not errors:
            subject_access.erase(db.session, registry.ErasureRequest(
                subject_ref=subject_ref, reason=values["reason"].strip(),
                keep=frozenset(values["keep"]),
                kept_reason=(values.get("kept_reason") or "").strip() or None,
            ), actor=current_user.get_id())
            return redirect(url_for("subject_access.report", subject_ref=subject_ref,
                                    erased=1))
    return render_template("retention/erase.html", tenant=current_tenant(),
                           subject_ref=subject_ref, values=values, errors=errors,
                           keep_items=[{"value": name, "text": name.replace("_", " ").capitalize(),
                                        "checked": name in (values.get("keep") or ())}
                                       for name in sorted(registry.ERASERS)]), \
        (400 if errors else 200)
