"""Helpers the settings pages share: run a form through its schema and its service."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, request
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields

from peerpath.extensions import db
from peerpath.forms import GENERIC_FIELD, form_values, load_form

EDITOR_ROLES = ("lead",)


class Refused(ValueError):
    """A service refused a change; ``problems`` maps a field name to a message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def can_edit() -> bool:
    return getattr(current_user, "role", None) in EDITOR_ROLES


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



def json_save(schema: Schema, save: Callable[[dict], object], *, partial_from: dict | None = None):
    """Load the request's JSON with ``schema`` and save it; commits.

    Malformed JSON is a 400; invalid fields, and a service's refusal, are a 422 with field
    messages (marshmallow's ValidationError goes to the central error handler).
    """
    body = request.get_json(silent=True)
    if body is None:
        abort(400, "The request body must be JSON")
    if partial_from is not None and isinstance(body, dict):
        body = {**partial_from, **body}
    data = schema.load(body)
    try:
        saved = save(data)
    except Refused as refused:
        db.session.rollback()
        raise ValidationError(refused.problems) from refused
    db.session.commit()
    return saved
