"""The trust itself, as the API sees it."""

from __future__ import annotations

from flask import Blueprint, jsonify

from peerpath.tenancy import current_tenant
from tenants.api_tokens.auth import api_access

bp = Blueprint("public_api", __name__)


@bp.get("/")
@api_access("read")
def trust():
    tenant = current_tenant()
    return jsonify(slug=tenant.slug, display_name=tenant.display_name,
                   contact_email=tenant.contact_email, contact_phone=tenant.contact_phone)
