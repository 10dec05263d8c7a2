"""The trust itself, as the API sees it."""

from __future__ import annotations

from flask import Blueprint

from peerpath.api import api_operation
from peerpath.tenancy import current_tenant
from tenants.api_tokens.auth import api_access
from tenants.public.schemas import TrustSchema

bp = Blueprint("public_api", __name__)


@bp.get("/")
@api_access("workspace:read")
@api_operation(response=TrustSchema)
def trust():
    """The trust the token belongs to: its name and public contact details."""
    return current_tenant()
