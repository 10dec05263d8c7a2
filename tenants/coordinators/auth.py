"""Guards for coordinator pages: signed in to THIS trust, with a role that holds the
permission (tenants.coordinators.permissions, the table the API and navigation read too)."""

from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from tenants.coordinators.permissions import permission as lookup_permission
from tenants.coordinators.permissions import permits


def signed_in_coordinator() -> bool:
    """Whether the request carries a coordinator session of the request's trust."""
    return getattr(current_user, "is_authenticated", False) and \
        getattr(current_user, "realm", None) == "trust"

def coordinator_required(permission_name: str):
    """Require a coordinator of the request's trust whose current role holds the permission.

    Anonymous (which includes a session made in another trust): redirect to sign-in.
    Signed in without the permission: 403. The role is read from the database at every
    request (the login loader), so a demotion takes effect at the next click.
    """
    allowed = lookup_permission(permission_name).roles  # unknown names fail at import

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not signed_in_coordinator():
                return redirect(url_for("coordinators.sign_in", next=request.full_path))
            if not permits(current_user, permission_name):
                abort(403)
            return view(*args, **kwargs)

        # Read by tests/security and the navigation: every /coordinator/ page names one.
        guarded.permission = permission_name
        guarded.coordinator_roles = allowed
        return guarded

    return decorate
