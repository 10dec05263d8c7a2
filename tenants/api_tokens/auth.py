"""`api_access(permission)`: the guard of every trust API endpoint (Authorization: Bearer).

It goes above `peerpath.api.api_operation` (see the conventions there): it authenticates,
answers 404 to another trust's token, checks the permission and counts the request against
the token's rate limit, before the operation reads any input.

The permission is a name from tenants.coordinators.permissions, the table the pages read:
a request may do what the token owner's CURRENT role may do on the pages (the role is read
at every request, so a demotion takes effect at once) and no more than the token's scope.
"""

from __future__ import annotations

from functools import wraps

from flask import g, request

from peerpath.api import rate_limited
from peerpath.errors import error_response
from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.api_tokens import service
from tenants.coordinators.models import Coordinator
from tenants.coordinators.permissions import permission, permits


def api_access(permission_name: str):
    needed = permission(permission_name)  # an unknown name fails at import

    def decorate(view):
        limited = rate_limited(view)

        @wraps(view)
        def guarded(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            kind, _, text = header.partition(" ")
            parsed = service.parse(text.strip()) if kind.lower() == "bearer" else None
            if parsed is None:
                return error_response(401, "Send a PeerPath API token as "
                                           "'Authorization: Bearer pp_...'")
            slug, token_id, secret = parsed
            tenant = current_tenant()
            if slug != tenant.slug:
                # Another trust's token: this trust's resources do not exist for it.
                return error_response(404, "Not found")
            try:
                token = service.verify(db.session, token_id, secret, needed.scope)
            except service.TokenRefused as refused:
                return error_response(refused.status, refused.message)
            owner = db.session.get(Coordinator, token.coordinator_id)  # verify loaded it
            if not permits(owner, permission_name):
                return error_response(403, "The API token's owner may not do this: their "
                                           "role or permissions do not allow it on the "
                                           "pages either")
            if service.note_use(token):
                db.session.commit()
            g.api_token_id = token.id
            g.api_coordinator_id = token.coordinator_id
            g.api_rate_key = f"{tenant.slug}:{token.id}"
            return limited(*args, **kwargs)

        guarded.api_scope = needed.scope  # for the OpenAPI document's security and scope
        guarded.permission = permission_name  # read by tests/security
        return guarded

    return decorate


def api_actor() -> str:
    """The audit actor of an API request: `audit.record(..., actor=api_actor())`."""
    return f"api-token:{g.api_token_id}"
