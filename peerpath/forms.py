"""Validate HTML form posts with marshmallow, the same schemas the JSON API uses.

`load_form` returns (data, errors): errors is a flat {field: message} dict ready for the
layout's error summary, and the view re-renders the page with what the person typed,
so nothing is lost on an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields

GENERIC_FIELD = "_form"
# A name goes into e-mail headers, letters and CSV rows: a line break there would let it
# add a header or a row of its own.
LINE_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]")
ONE_LINE_MESSAGE = "Write the name on one line"


def single_line(value: str) -> None:
    """marshmallow validator: refuses names (or other one-line text) with line breaks."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(ONE_LINE_MESSAGE)


CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


class Clock(fields.Time):
    """A time like 09:30, and nothing else (fields.Time also takes 0930, T09:30, ...)."""

    def __init__(self, **kwargs):
        metadata = {"pattern": CLOCK.pattern, "example": "09:30", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not CLOCK.match(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


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
        return values, flatten_errors(in_plain_words(schema, exc.messages))


# marshmallow's own messages are written for developers ("Not a valid string.", "Missing data
# for required field."). A schema should say what to do in its own words; any it forgot is
# put in words here, so a page never shows marshmallow's.
MARSHMALLOW_WORDS = re.compile(
    r"^(Missing data for required field|Field may not be null|Not a valid |Invalid (value|"
    r"input type|type)|Unknown field|Shorter than|Longer than|Length must be|Must be one of|"
    r"Must be (greater|less)|String does not match|Special numeric|\"[^\"]*\" cannot be)")
_TYPE_WORDS = (
    ((fields.Email,), "Enter an email address in the correct format, like name@example.com"),
    ((fields.Integer, fields.Float, fields.Decimal), "Enter {label} as a number"),
    ((fields.DateTime,), "Enter {label} as a real date and time"),
    ((fields.Date,), "Enter {label} as a real date, for example 27 3 1985"),
    ((fields.Time,), "Enter {label} as a time, for example 9:30am"),
    ((fields.Boolean,), "Select yes or no for {label}"),
    ((fields.List,), "Select {label} from the options shown"),
)


def plain_message(field: fields.Field | None, name: str, message):
    """``message`` unless it is one of marshmallow's own, then what to do, in words."""
    if not isinstance(message, str) or not MARSHMALLOW_WORDS.match(message):
        return message
    if field is None:
        return "Something in the form could not be read: check your answers and try again"
    label = field.metadata.get("label") or f"the {name.replace('_', ' ')}"
    for kinds, words in _TYPE_WORDS:
        if isinstance(field, kinds):
            return words.format(label=label)
    return f"Enter {label}"


def in_plain_words(schema: Schema, messages):
    """marshmallow's nested error messages with its own wording replaced (see above)."""
    if not isinstance(messages, Mapping):
        return messages
    by_key = {(f.data_key or name): f for name, f in schema.fields.items()}

    def words(field, name, value):
        if isinstance(value, Mapping):
            return {k: words(field, name, v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [words(field, name, v) for v in value]
        return plain_message(field, name, value)

    return {key: words(by_key.get(key), str(key), value) for key, value in messages.items()}
