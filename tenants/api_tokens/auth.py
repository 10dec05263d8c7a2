"""`api_access(scope)`: the guard of every trust API endpoint (Authorization: Bearer)."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from peerpath.errors import error_response
from peerpath.extensions import db
from peerpath.tenancy import current_tenant
from tenants.api_tokens import service


def api_access(scope: str = "read"):
    if scope not in service.SCOPES:
        raise ValueError(scope)

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            header = request.headers.get("Authorization", "")
            kind, _, text = header.partition(" ")
            parsed = service.parse(text.strip()) if kind.lower() == "bearer" else None
            if parsed is None:
                return error_response(401, "Send a PeerPath API token as "
                                           "'Authorization: Bearer pp_...'")
            slug, token_id, secret = parsed
            if slug != current_tenant().slug:
                # Another trust's token: this trust's resources do not exist for it.
                return error_response(404, "Not found")
            try:
                token = service.verify(db.session, token_id, secret, scope)
            except service.TokenRefused as refused:
                return error_response(refused.status, refused.message)
            g.api_token_id = token.id
            g.api_coordinator_id = token.coordinator_id
            return view(*args, **kwargs)

        return guarded

    return decorate
