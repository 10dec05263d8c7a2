"""The caller's own API tokens: list, read, rename and revoke (making one is in the UI only).

"Own" means the tokens of the coordinator who owns the calling token; any other token is a
404, like a token of another trust.
"""

from __future__ import annotations

from flask import Blueprint, abort, g

from peerpath.api import api_operation, paginate, require_if_match
from peerpath.extensions import db
from tenants.api_tokens import service
from tenants.api_tokens.auth import api_access, api_actor
from tenants.api_tokens.models import ApiToken
from tenants.api_tokens.schemas import RenameTokenSchema, TokenSchema
from tenants.audit.service import record

bp = Blueprint("api_tokens_api", __name__)


def _own(token_id: int) -> ApiToken:
    token = service.find(db.session, token_id, g.api_coordinator_id)
    if token is None:
        abort(404, "You have no API token with that id")
    return token


@bp.get("/api-tokens")
@api_access("api_tokens:read")
@api_operation(response=TokenSchema, paginated=True)
def list_tokens(query):
    """List your API tokens, newest first.

    Every token of the coordinator who owns the calling token: active, expired and revoked.
    """
    return paginate(db.session, service.owned_by(g.api_coordinator_id), ApiToken.id, query,
                    descending=True)


@bp.get("/api-tokens/<int:token_id>")
@api_access("api_tokens:read")
@api_operation(response=TokenSchema)
def get_token(token_id):
    """Get one of your API tokens."""
    return _own(token_id)


@bp.patch("/api-tokens/<int:token_id>")
@api_access("api_tokens:write")
@api_operation(request=RenameTokenSchema, response=TokenSchema)
def rename_token(token_id, body):
    """Rename one of your API tokens."""
    token = _own(token_id)
    require_if_match(token)
    service.rename(token, body["name"])
    record("api_token.rename", "api_token", token.id, actor=api_actor())
    db.session.commit()
    return token


@bp.delete("/api-tokens/<int:token_id>")
@api_access("api_tokens:write")
@api_operation(status=204, errors=(409,))
def revoke_token(token_id):
    """Revoke one of your API tokens.

    A token cannot revoke itself (409): revoke it from another token or in the
    coordinator workspace. Revoking a revoked token changes nothing.
    """
    token = _own(token_id)
    if token.id == g.api_token_id:
        abort(409, "This is the token you are using: revoke it in the coordinator "
                   "workspace or with another token")
    service.revoke(db.session, token.id)
    record("api_token.revoke", "api_token", token.id, actor=api_actor())
    db.session.commit()
