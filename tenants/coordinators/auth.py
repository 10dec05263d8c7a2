"""Guards for coordinator pages: signed in to THIS trust, with one of the allowed roles."""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from tenants.coordinators.models import ROLES

# What each role may do; a lead may do everything.
ROLE_RANK = {"read_only": 0, "panel": 1, "coordinator": 2, "lead": 3}


def coordinator_required(*roles: str):
    """Require a coordinator of the request's trust; with roles, one of those roles.

    Anonymous (which includes a session made in another trust): redirect to sign-in.
    Signed in without the role: 403.
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not getattr(current_user, "is_authenticated", False) or \
                    getattr(current_user, "realm", None) != "trust":
                return redirect(url_for("coordinators.sign_in", next=request.full_path))
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        # Read by tests/security: every /coordinator/ page must carry a guard.
        guarded.coordinator_roles = roles
        return guarded

    return decorate
