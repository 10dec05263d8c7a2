"""Helpers the settings pages share: run a form through its schema and its service."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, make_response, render_template, request
from flask_login import current_user
from marshmallow import RAISE, Schema, fields
from marshmallow.error_store import ErrorStore

from peerpath.api import CONDITIONAL_METHODS
from peerpath.errors import error_response
from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, form_values, load_form
from peerpath.refusal import Refused
from peerpath.tenancy import current_tenant
from tenants.coordinators.permissions import permits


def can_edit() -> bool:
    return permits(current_user if getattr(current_user, "role", None) else None,
                   "settings:write")


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


# --- The JSON API ------------------------------------------------------------------------
# A field the OpenAPI document describes wrongly is a 422. What the document cannot express
# (checks across fields, or against other records: dates in order, places already offered)
# is a 409 with the same field messages, as a conflict with the data as it stands.

CONFLICT = "These values conflict with each other or with the records: see fields"


def conflict(problems: dict):
    abort(make_response(error_response(409, CONFLICT, fields=problems)))


class ConflictChecks:
    """Mixin for an API input schema: its @validates_schema checks answer 409, not 422."""

    def _invoke_schema_validators(self, *, error_store, field_errors=False, **kwargs):
        own = ErrorStore()
        super()._invoke_schema_validators(error_store=own, field_errors=field_errors, **kwargs)
        unconditional = request.method not in CONDITIONAL_METHODS or "If-Match" in request.headers
        if own.errors and unconditional:  # else api_operation answers 428 before the view
            conflict(own.errors)


def _as_sent(self, data, **kwargs):
    return data  # the HTML form's pre_load conversions are not the API's


def api_input(schema: type[Schema], *, html_only: tuple[str, ...] = ()) -> type[Schema]:
    """`schema` for the JSON API (named e.g. CourseInputSchema in the document): numbers
    must be JSON numbers, unknown fields are refused (so the document says which are
    allowed), and the `html_only` pre_load hooks are left out."""
    name = schema.__name__.removesuffix("Schema") + "InputSchema"

    def __init__(self, *args, **kwargs):
        schema.__init__(self, *args, **kwargs)
        for field in self.fields.values():
            for inner in (field, getattr(field, "inner", None),
                          getattr(field, "value_field", None)):
                if isinstance(inner, fields.Integer):
                    inner.strict = True

    meta = type("Meta", (getattr(schema, "Meta", object),), {"unknown": RAISE})
    return type(name, (ConflictChecks, schema), {
        "__module__": schema.__module__, "__init__": __init__, "Meta": meta,
        **dict.fromkeys(html_only, _as_sent)})


def api_save(save: Callable[..., object], *args):
    """Run a service save for the JSON API; commits. Its ``Refused`` is a 409 with field
    messages."""
    try:
        saved = save(db.session, *args)
    except Refused as refused:
        db.session.rollback()
        conflict(refused.problems)
    db.session.commit()
    return saved
