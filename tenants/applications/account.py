"""The applicant's sign-in: a server-side session (peerpath.sessions, realm "applicant").

Bound to the trust it was made in (another trust sees an anonymous visitor), rotated at
sign-in, idle timeout 30 minutes, absolute 12 hours; signing out deletes the record, so a
copied cookie is worth nothing afterwards. A draft started before signing in is remembered
in the signed cookie, for this browser only.
"""

from __future__ import annotations

from functools import wraps

from flask import redirect, request, session, url_for

from peerpath import grants, sessions
from peerpath.tenancy import current_tenant

REALM, DRAFT_KEY, TARGET_KEY = "applicant", "pp_draft", "pp_after_sign_in"


def sign_in(applicant_id: int) -> None:
    # What this browser had before signing in stays: its draft, where it was going, and
    # what links opened here granted (a drop-in booking's page: peerpath.grants).
    kept = {key: session.get(key) for key in (DRAFT_KEY, TARGET_KEY, grants.SESSION_KEY)}
    sessions.start_session(REALM, current_tenant().slug, applicant_id)  # clears the cookie
    session.update({key: value for key, value in kept.items() if value})


def take_target() -> str | None:
    """The signed-in page a deep link asked for before sign-in (this trust's only), once."""
    target = session.pop(TARGET_KEY, None)
    if isinstance(target, dict) and target.get("trust") == current_tenant().slug:
        path = target.get("path") or ""
        if path.startswith(f"/trusts/{current_tenant().slug}/") and "//" not in path:
            return path
    return None


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
            # Kept in this browser's signed cookie, so the e-mailed sign-in link opened
            # here lands on the page that was asked for (e.g. an interview booking link).
            session[TARGET_KEY] = {"trust": current_tenant().slug, "path": request.full_path}
            return redirect(url_for("applicant_account.sign_in"))
        return view(*args, **kwargs)

    return guarded
