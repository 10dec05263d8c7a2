"""Helpers the settings pages share: run a form through its schema and its service."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, render_template, request
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, form_values, load_form
from peerpath.tenancy import current_tenant
from tenants.cohorts.records import Refused

EDITOR_ROLES = ("lead",)


def can_edit() -> bool:
    return getattr(current_user, "role", None) in EDITOR_ROLES


def render_page(template: str, **context):
    """A settings or public page; status 400 when it shows errors."""
    context.setdefault("errors", {})
    return render_template(template, tenant=current_tenant(), can_edit=can_edit(),
                           **context), (400 if context["errors"] else 200)


def get_or_404(model, record_id: int):
    found = db.session.get(model, record_id)
    if found is None:
        abort(404, "Not found")
    return found


def date_error_ids(schema: Schema) -> dict[str, str]:
    """Error-summary links go to the day box of each date input."""
    return {name: f"{name}-day" for name, field in schema.fields.items()
            if isinstance(field, fields.Date)}


def submit(schema: Schema, save: Callable[[dict], object], *, list_fields=()
           ) -> tuple[dict, dict, object]:
    """(values typed, errors, saved object or None); commits when saved.

    ``save`` may raise ``Refused`` (or a subclass) with field messages; they are shown like
    the schema's own, and the values typed are handed back so nothing is lost.
    """
    values, errors = load_form(schema, request.form, list_fields=list_fields)
    if errors:
        return values, errors, None
    try:
        saved = save(values)
    except Refused as refused:
        db.session.rollback()
        return form_values(request.form), refused.problems or {GENERIC_FIELD: str(refused)}, None
    db.session.commit()
    return values, {}, saved


def api_save(save: Callable[..., object], *args):
    """Run a service save for the JSON API; commits. Its ``Refused`` is a 422 with field
    messages (marshmallow's ValidationError goes to the central error handler)."""
    try:
        saved = save(db.session, *args)
    except Refused as refused:
        db.session.rollback()
        raise ValidationError(refused.problems) from refused
    db.session.commit()
    return saved
