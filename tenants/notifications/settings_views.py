"""The lead's page for the trust's providers: email by the platform's SMTP server or GOV.UK
Notify, text messages by Notify or not at all, quiet hours, and Notify's callback token.

The Notify API key is write-only: the page says whether one is set, a blank field keeps it,
and it is never echoed back (not even on an error), logged or audited. A new callback token
is shown once, in the response to the POST that made it; only its hash is kept.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from peerpath.extensions import db
from peerpath.links import external_url
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.cohorts.forms import submit
from tenants.coordinators.auth import coordinator_required
from tenants.notifications import channels
from tenants.notifications.schemas import ProviderSettingsSchema, ProviderSettingsView
from tenants.notifications.service import get_settings

bp = Blueprint("notification_settings", __name__, template_folder="templates")

SECRET_FIELDS = ("notify_api_key",)
EMAIL_CHOICES = [("smtp", "The platform's email server"), ("notify", "GOV.UK Notify")]
SMS_CHOICES = [("none", "Do not send text messages"), ("notify", "GOV.UK Notify")]


def _saved_values(settings) -> dict:
    return ProviderSettingsView().dump(settings)  # as the API shows it: no secret in it


def _page(values: dict, errors: dict, *, new_token: str | None = None):
    settings = get_settings(db.session)
    shown = {k: v for k, v in values.items() if k not in SECRET_FIELDS}
    page = render_template(
        "notifications/provider_settings.html", tenant=current_tenant(), values=shown,
        errors=errors, key_set=channels.has_notify_key(settings),
        token_set=bool(settings.callback_token_hash), new_token=new_token,
        email_choices=EMAIL_CHOICES, sms_choices=SMS_CHOICES, notice=request.args.get("notice"),
        callback_url=external_url("notifications_callbacks.delivery_receipt",
                                  trust_slug=current_tenant().slug))
    return page, (400 if errors else 200)


@bp.route("", methods=["GET", "POST"])
@coordinator_required("providers:write")
def providers():
    settings = get_settings(db.session)
    if request.method == "GET":
        return _page(_saved_values(settings), {})
    schema = ProviderSettingsSchema(key_stored=channels.has_notify_key(settings))
    values, errors, _ = submit(
        schema, lambda data: channels.save_provider_settings(db.session, data))
    if errors:
        return _page(values, errors)
    return redirect(url_for(".providers", notice="saved"))


@bp.post("/callback-token")
@coordinator_required("providers:write")
def new_callback_token():
    token = channels.issue_callback_token(db.session)
    record("notifications.callback_token_made", "notification_settings", 1)
    db.session.commit()
    # Shown once, in this response only: never stored in clear, redirected or logged.
    return _page(_saved_values(get_settings(db.session)), {}, new_token=token)
