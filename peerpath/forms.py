"""Validate HTML form posts with marshmallow, the same schemas the JSON API uses.

`load_form` returns (data, errors): errors is a flat {field: message} dict ready for the
layout's error summary, and the view re-renders the page with what the person typed,
so nothing is lost on an error.
"""

from __future__ import annotations

from collections.abc import Mapping

from marshmallow import Schema, ValidationError

GENERIC_FIELD = "_form"


def flatten_errors(messages, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages -> {"field" or "parent-child": "first message"}."""
    flat: dict[str, str] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = GENERIC_FIELD if key == "_schema" else str(key)
            flat.update(flatten_errors(value, f"{prefix}-{name}" if prefix else name))
    elif isinstance(messages, list | tuple) and messages:
        first = messages[0]
        if isinstance(first, Mapping | list | tuple):
            flat.update(flatten_errors(first, prefix))
        else:
            flat[prefix or GENERIC_FIELD] = str(first)
    elif messages:
        flat[prefix or GENERIC_FIELD] = str(messages)
    return flat


def form_values(form) -> dict:
    """Form data as a dict; repeated keys (checkboxes) become lists."""
    return {key: (values if len(values) > 1 else values[0])
            for key, values in form.lists() if key != "csrf_token"}


def load_form(schema: Schema, form, *, list_fields: tuple[str, ...] = ()) -> tuple[dict, dict]:
    values = form_values(form)
    for name in list_fields:
        values[name] = form.getlist(name)
    try:
        return schema.load(values), {}
    except ValidationError as exc:
        return values, flatten_errors(exc.messages)
