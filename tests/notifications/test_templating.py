"""((placeholder)) rules and quiet hours: pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from tenants.notifications.defaults import MESSAGES, allowed_placeholders
from tenants.notifications.templating import (
    LONDON,
    UnknownPlaceholder,
    after_quiet_hours,
    check_placeholders,
    render_html,
    unknown_placeholders,
)


def test_every_default_template_uses_only_its_own_placeholders():
    for key, spec in MESSAGES.items():
        for variant in ("standard", "easy_read"):
            texts = spec[variant].values()
            assert unknown_placeholders(texts, allowed_placeholders(key)) == [], key


def test_an_unknown_placeholder_is_named_in_the_refusal():
    with pytest.raises(UnknownPlaceholder) as refused:
        check_placeholders(["Hi ((first_name)) ((diagnosis)) ((diagnosis))"], ["first_name"])
    assert refused.value.names == ["diagnosis"] and "((diagnosis))" in str(refused.value)


def test_values_are_escaped_in_html_and_links_become_links():
    html = render_html(None, "Hi ((first_name))\n\nSee https://peerpath.example/a?b=1.",
                       {"first_name": "<script>"})
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert '<a href="https://peerpath.example/a?b=1">' in html


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(("moment", "expected"), [
    (london(2026, 6, 1, 22, 30), london(2026, 6, 2, 8, 0)),   # evening: next morning
    (london(2026, 6, 2, 6, 15), london(2026, 6, 2, 8, 0)),    # early: same morning
    (london(2026, 6, 2, 12, 0), london(2026, 6, 2, 12, 0)),   # daytime: at once
    (london(2026, 1, 10, 21, 0), london(2026, 1, 11, 8, 0)),  # winter (GMT), on the edge
])
def test_texts_wait_until_quiet_hours_end(moment, expected):
    result = after_quiet_hours(moment.astimezone(dt.UTC), dt.time(21), dt.time(8))
    assert result == expected and result.tzinfo == dt.UTC
