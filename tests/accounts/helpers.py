"""Helpers for the account tests: forms with CSRF tokens, signing in, Redis session records."""

from __future__ import annotations

import re

from peerpath import sessions


def csrf_from(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                      r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "the form must carry a CSRF token"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict, *, form_page: str | None = None, **kwargs):
    """GET the page (or `form_page`) for its CSRF token, then POST the form to `path`."""
    page = client.get(form_page or path, **kwargs)
    return client.post(path, data={**data, "csrf_token": csrf_from(page)}, **kwargs)


def session_record_key(client) -> str:
    with client.session_transaction() as flask_session:
        realm, scope, sid = flask_session["_pp_session"].split(":")
    return sessions.record_key(realm, scope, sid)


def cookie_value(client, app) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
