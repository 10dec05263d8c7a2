"""The applicant's sign-in, kept in the Flask session apart from coordinators' Flask-Login.

Bound to the trust it was made in (another trust sees an anonymous visitor), rotated at
sign-in (the session is cleared first), idle timeout 30 minutes, absolute 12 hours.
A draft started before signing in is remembered the same way, for this browser only.
"""

from __future__ import annotations

import time
from functools import wraps

from flask import redirect, session, url_for

from peerpath.tenancy import current_tenant

KEY, DRAFT_KEY = "pp_applicant", "pp_draft"
IDLE_SECONDS, ABSOLUTE_SECONDS = 30 * 60, 12 * 3600


def sign_in(applicant_id: int) -> None:
    draft = session.get(DRAFT_KEY)
    session.clear()
    now = int(time.time())
    session[KEY] = {"trust": current_tenant().slug, "id": applicant_id, "since": now, "seen": now}
    if draft:
        session[DRAFT_KEY] = draft


def sign_out() -> None:
    session.clear()


def applicant_id() -> int | None:
    data = session.get(KEY)
    if not isinstance(data, dict) or data.get("trust") != current_tenant().slug:
        return None
    now = int(time.time())
    if now - data.get("seen", 0) > IDLE_SECONDS or now - data.get("since", 0) > ABSOLUTE_SECONDS:
        session.pop(KEY, None)
        return None
    data["seen"] = now
    session[KEY] = data
    return data.get("id")


def remember_draft(application_id: int) -> None:
    session[DRAFT_KEY] = {"trust": current_tenant().slug, "id": application_id}


def draft_id() -> int | None:
    data = session.get(DRAFT_KEY)
    if isinstance(data, dict) and data.get("trust") == current_tenant().slug:
        return data.get("id")
    return None


def applicant_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if applicant_id() is None:
            return redirect(url_for("applicant_account.sign_in"))
        return view(*args, **kwargs)

    return guarded
