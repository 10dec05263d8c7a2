"""Validate HTML form posts with marshmallow, the same schemas the JSON API uses.

`load_form` returns (data, errors): errors is a flat {field: message} dict ready for the
layout's error summary, and the view re-renders the page with what the person typed,
so nothing is lost on an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from marshmallow import Schema, ValidationError

GENERIC_FIELD = "_form"
# A name goes into e-mail headers, letters and CSV rows: a line break there would let it
# add a header or a row of its own.
LINE_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]")
ONE_LINE_MESSAGE = "Write the name on one line"


def single_line(value: str) -> None:
    """marshmallow validator: refuses names (or other one-line text) with line breaks."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(ONE_LINE_MESSAGE)


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
