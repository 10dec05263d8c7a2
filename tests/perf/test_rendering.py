"""Rendering made cheaper without changing the page: the memoised header and footer never
cross trusts or outlive a change, and the fast `indent` is Jinja's own, byte for byte."""

from __future__ import annotations

import itertools
import re

from jinja2.filters import do_indent
from markupsafe import Markup
from psycopg import sql

from peerpath.rendering import freeze, indent

SAMPLES = ["", "a", "a\nb", "a\n\nb\n", "\n", "x\r\ny\n  z", "a<b>\n<c>&", Markup(""),
           Markup("<b>\n&amp;\n</b>"), Markup("a\n\n"), Markup("<p>\n  <i>x</i>\n</p>\n")]


def test_the_fast_indent_gives_exactly_what_jinjas_indent_gives():
    for text, width, first, blank in itertools.product(
            SAMPLES, [0, 2, 4, "--", "<i>"], [False, True], [False, True]):
        expected = do_indent(text, width, first, blank)
        got = indent(text, width, first, blank)
        assert got == expected and type(got) is type(expected), (text, width, first, blank)


def test_the_memo_key_tells_markup_from_text_and_true_from_one():
    assert freeze({"text": "<b>"}) != freeze({"text": Markup("<b>")})
    assert freeze({"x": True}) != freeze({"x": 1})
    assert freeze({"a": 1, "b": 2}) != freeze({"b": 2, "a": 1})  # order can show


def test_a_memoised_header_is_the_macros_own_output_and_escapes_plain_text(app):
    with app.app_context():
        component = app.extensions["fragment_memo"]
        params = {"service": {"text": "<b>PeerPath</b>", "href": "/"},
                  "organisation": {"name": "A & B NHS Trust"}}
        direct = component.macro("header")(params)
        assert component("header", params) == direct == component("header", dict(params))
        assert "&lt;b&gt;PeerPath&lt;/b&gt;" in direct and "A &amp; B NHS Trust" in direct
        marked = component("header", {**params, "service": {"text": Markup("<b>P</b>")}})
        assert "<b>P</b>" in marked


def _header(page: str) -> str:
    match = re.search(r"<header.*?</header>", page, re.S)
    assert match, "the page has a header"
    return match.group(0)


def test_two_trusts_never_see_each_others_header_or_footer(client, make_trust):
    one = make_trust(display_name="Memo One NHS Trust")
    two = make_trust(display_name="Memo Two NHS Trust")
    for _ in range(2):  # the second round is served from the memo
        first = client.get(f"/trusts/{one.slug}/").get_data(as_text=True)
        second = client.get(f"/trusts/{two.slug}/").get_data(as_text=True)
        assert "Memo One NHS Trust" in _header(first) and "Memo Two" not in first
        assert "Memo Two NHS Trust" in _header(second) and "Memo One" not in second
        assert f"/trusts/{two.slug}/accessibility" in second
        assert f"/trusts/{one.slug}/" not in second


def test_a_renamed_trust_shows_its_new_name_on_the_very_next_request(client, make_trust,
                                                                     owner_conn):
    trust = make_trust(display_name="Before Rename NHS Trust")
    assert "Before Rename NHS Trust" in _header(
        client.get(f"/trusts/{trust.slug}/").get_data(as_text=True))
    owner_conn.execute(sql.SQL("UPDATE platform.trusts SET display_name = %s WHERE slug = %s"),
                       ("After Rename NHS Trust", trust.slug))
    page = client.get(f"/trusts/{trust.slug}/").get_data(as_text=True)
    assert "After Rename NHS Trust" in _header(page)
    assert "Before Rename" not in page
