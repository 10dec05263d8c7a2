"""Secrets that messages carry are in one request line only: exchange, then redirect.

A link in an e-mail or text (an applicant's sign-in link, a coordinator's invitation, a
drop-in booking's page and its cancel link) carries a secret in its path. The first GET
checks it, keeps what it grants in this browser's signed session cookie (HttpOnly; Secure
and SameSite=Lax outside development: peerpath.config) and answers 303 See Other to an
address without the secret, which reads the grant from the session. So the secret is not
in the address bar, in the history of the pages after it, in any Referer header (every
answer, the 303 included, says `Referrer-Policy: no-referrer`: peerpath.security) or in a
log line of any later request.

The exchange spends nothing: a one-time token is used only when the person presses the
token-free page's button (a POST), so a mail scanner that fetches every link uses nothing
up. A grant is bound to the trust it was made in, lapses after its lifetime, and holds what
the server needs to find the thing again (a token's hash, a booking id), never the token.
"""

from __future__ import annotations

import time

from flask import redirect, session, url_for

from peerpath.tenancy import current_tenant

SESSION_KEY = "pp_grants"


def _name(kind: str) -> str:
    return f"{current_tenant().slug}:{kind}"


def _live(grants) -> dict:
    now = time.time()
    if not isinstance(grants, dict):
        return {}
    return {name: entry for name, entry in grants.items()
            if isinstance(entry, list) and len(entry) == 2 and entry[1] > now}


def hold(kind: str, value, lifetime: int) -> None:
    """Keep `value` (JSON: an id, a hash) for this trust and `kind`, for `lifetime` seconds."""
    grants = _live(session.get(SESSION_KEY))
    grants[_name(kind)] = [value, int(time.time()) + lifetime]
    session[SESSION_KEY] = grants


def held(kind: str):
    """The value this browser holds for `kind` in this trust, or None (none, or lapsed)."""
    entry = _live(session.get(SESSION_KEY)).get(_name(kind))
    return entry[0] if entry else None


def release(kind: str) -> None:
    """Forget the grant (it has been used); lapsed ones go with it."""
    if SESSION_KEY in session:
        grants = _live(session[SESSION_KEY])
        grants.pop(_name(kind), None)
        session[SESSION_KEY] = grants


def exchange(kind: str, value, lifetime: int, endpoint: str, **values):
    """Hold the grant and send the browser on to the token-free page (303 See Other)."""
    hold(kind, value, lifetime)
    return redirect(url_for(endpoint, **values), code=303)
