"""Coordinator-written e-mail HTML, cleaned with nh3 (the Ammonia sanitiser) before it is
previewed, stored or sent: simple formatting and http(s)/mailto/tel links only, so a
template never carries <script>, <form>, event handlers, styles or javascript: links."""

from __future__ import annotations

import nh3

EMAIL_TAGS = frozenset({"p", "br", "a", "strong", "b", "em", "i", "ul", "ol", "li", "h1", "h2",
                        "h3", "blockquote", "hr"})
EMAIL_ATTRIBUTES = {"a": {"href", "title"}}
EMAIL_URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})


def clean_email_html(html: str | None) -> str | None:
    if not html:
        return html
    return nh3.clean(html, tags=set(EMAIL_TAGS), attributes=EMAIL_ATTRIBUTES,
                     url_schemes=set(EMAIL_URL_SCHEMES), link_rel="noopener noreferrer",
                     strip_comments=True)
