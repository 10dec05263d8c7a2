"""The applicant's sign-in: a server-side session (peerpath.sessions, realm "applicant").

Bound to the trust it was made in (another trust sees an anonymous visitor), rotated at
sign-in, idle timeout 30 minutes, absolute 12 hours; signing out deletes the record, so a
copied cookie is worth nothing afterwards. A draft started before signing in is remembered
in the signed cookie, for this browser only.
"""

from __future__ import annotations

from functools import wraps

from flask import redirect, session, url_for

from peerpath import sessions
from peerpath.tenancy import current_tenant

REALM, DRAFT_KEY = "applicant", "pp_draft"


def sign_in(applicant_id: int) -> None:
    draft = session.get(DRAFT_KEY)
    sessions.start_session(REALM, current_tenant().slug, applicant_id)  # clears the cookie
    if draft:
        session[DRAFT_KEY] = draft


def sign_out() -> None:
    sessions.end_session()


def sign_out_everywhere(slug: str, applicant_id: int) -> None:
    """End every session of an applicant (e.g. when their data is erased)."""
    sessions.end_all_sessions(REALM, slug, applicant_id)


def applicant_id() -> int | None:
    user_id = sessions.signed_in_user(REALM, current_tenant().slug)
    return int(user_id) if user_id is not None else None


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
