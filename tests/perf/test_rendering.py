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


ATTRIBUTE_SAMPLES = [None, "", ' data-x="1"', Markup(' data-y="<b>"'), {},
                     {"aria-hidden": True}, {"aria-hidden": False}, {"hidden": None},
                     {"data-a": {"value": ["x", "<y>", "a'b"], "type": "array"}},
                     {"hidden": {"value": True, "optional": True}},
                     {"hidden": {"value": None, "optional": True}},
                     {"title": 'say "hi" & <go>'}, {"title": Markup("<i>ok</i>")},
                     {"data-n": 3, "autocomplete": "email", "spellcheck": False}]


def test_the_memoised_attributes_macro_gives_the_macros_own_output(app):
    """Every component's `nhsukAttributes` is the memo; the original macro is compiled
    afresh from the package and called the same way, in an escaping template and not."""
    env = app.jinja_env
    memoised = env.get_template("nhsuk/macros/attributes.jinja").module.nhsukAttributes
    original = env.from_string(env.loader.get_source(env, "nhsuk/macros/attributes.jinja")[0]
                               ).module.nhsukAttributes
    assert memoised is not original
    call = "{% from 'nhsuk/macros/attributes.jinja' import nhsukAttributes %}" \
           "<p{{ nhsukAttributes(a) }}>"
    for each in (env, env.overlay(autoescape=False)):
        through_memo, direct = each.from_string(call), each.from_string("<p{{ m(a) }}>")
        for sample in ATTRIBUTE_SAMPLES:
            for _ in range(2):  # the second is served from the memo
                assert through_memo.render(a=sample) == direct.render(m=original, a=sample), \
                    (each.autoescape, sample)
    assert app.extensions["attributes_memo"].entries, "the calls were memoised"


def test_a_dicts_items_and_attributes_read_as_jinja_reads_them(app):
    from jinja2 import Environment

    plain = Environment(undefined=app.jinja_env.undefined)
    template = "{{ d.label }}|{{ d.missing is defined }}|{{ d.items is defined }}|" \
               "{{ d.get('label') }}|{{ d['keys'] }}|{{ o.real }}|{{ u.x.y is defined }}"
    values = {"d": {"label": "L", "keys": "K"}, "o": 3, "u": None}
    assert app.jinja_env.from_string(template).render(**values) == \
        plain.from_string(template).render(**values) == "L|False|True|L|K|3|False"
