"""Coordinator pages: delivery status of messages, and the trust's message templates."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from peerpath.extensions import db
from peerpath.forms import load_form
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.coordinators.auth import coordinator_required
from tenants.coordinators.models import Coordinator
from tenants.notifications import reach, service, wording
from tenants.notifications.defaults import MESSAGES, allowed_placeholders
from tenants.notifications.models import STATUSES, VARIANTS
from tenants.notifications.schemas import MessageFilterSchema, TemplateSchema
from tenants.notifications.templating import UnknownPlaceholder

bp = Blueprint("notifications", __name__, template_folder="templates")

STATUS_LABELS = {"created": "Waiting to send", "sending": "Sending", "sent": "Sent",
                 "delivered": "Delivered", "temporary_failure": "Temporary failure",
                 "permanent_failure": "Permanent failure",
                 "withdrawn": "Withdrawn before sending"}


@bp.get("/messages")
@coordinator_required("messages:read")
def messages():
    try:
        query = MessageFilterSchema().load(request.args)
    except ValidationError:
        query = {"status": None, "page": 1}
    rows, total = service.list_messages(db.session, query["status"], query["page"])
    record("notifications.messages_viewed", detail={"status": query["status"],
                                                    "page": query["page"]})
    db.session.commit()
    return render_template("notifications/messages.html", tenant=current_tenant(), rows=rows,
                           total=total, query=query, statuses=STATUSES,
                           labels=STATUS_LABELS, counts=service.status_counts(db.session),
                           names={k: v["name"] for k, v in MESSAGES.items()},
                           page_size=service.PAGE_SIZE, notice=request.args.get("notice"),
                           channel_labels=reach.LABELS)


@bp.post("/messages/<int:message_id>/retry")
@coordinator_required("messages:write")
def retry(message_id: int):
    if not service.retry(db.session, message_id):
        abort(404)
    record("notifications.retried", "notification", message_id)
    db.session.commit()
    return redirect(url_for(".messages", notice="retried"))


@bp.get("/settings/templates")
@coordinator_required("messages:write")
def templates():
    return render_template("notifications/templates.html", tenant=current_tenant(),
                           items=wording.list_templates(db.session),
                           notice=request.args.get("notice"))


@bp.route("/settings/templates/<key>/<variant>", methods=["GET", "POST"])
@coordinator_required("messages:write")
def edit_template(key: str, variant: str):
    if key not in MESSAGES or variant not in VARIANTS:
        abort(404)
    saved = wording.get_wording(db.session, key, variant)
    values, errors, shown = dict(saved.__dict__), {}, saved
    if request.method == "POST":
        values, errors = load_form(TemplateSchema(), request.form)
        if not errors:
            try:
                wording.check_placeholders(
                    [values.get(f) for f in wording.FIELDS], allowed_placeholders(key))
            except UnknownPlaceholder as exc:
                field = next(f for f in wording.FIELDS if any(
                    f"(({n}))" in (values.get(f) or "") for n in exc.names))
                errors = {field: str(exc)}
        if not errors:
            shown = wording.Wording(key, variant, values["subject"], values["body_text"],
                                    values.get("body_html"), values.get("sms_text"))
            if values["action"] == "save":
                wording.save_template(db.session, key, variant, values, current_user.get_id())
                record("notifications.template_saved", "template", f"{key}/{variant}")
                db.session.commit()
                return redirect(url_for(".templates", notice="saved"))
    return render_template(
        "notifications/template_edit.html", tenant=current_tenant(), key=key,
        variant=variant, name=MESSAGES[key]["name"], values=values, errors=errors,
        placeholders=allowed_placeholders(key), preview=wording.preview(shown, current_tenant()),
        previewing=request.method == "POST" and values.get("action") == "preview",
    ), (400 if errors else 200)


@bp.post("/settings/templates/test-message")
@coordinator_required("messages:write")
def send_test_message():
    me = db.session.get(Coordinator, current_user.coordinator_id)
    service.queue_message(db.session, "test_message",
                          {"email": me.email, "name": me.display_name},
                          {"sent_by": me.display_name}, related=("coordinator", me.id))
    record("notifications.test_message_sent", "coordinator", me.id)
    db.session.commit()
    return redirect(url_for(".templates", notice="test-sent"))
