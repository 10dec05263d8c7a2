"""Helpers of the API tests: trusts with tokens, and the operations of the OpenAPI document."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import cache

from peerpath import trust_admin
from peerpath.app import create_app
from peerpath.extensions import db
from peerpath.openapi import openapi_document, operations_of
from peerpath.tenancy import Tenant, tenant_context
from tenants.api_tokens import service
from tenants.coordinators.service import create_coordinator


@dataclass(frozen=True)
class ApiTrust:
    tenant: Tenant
    lead_id: int
    read_token: str
    write_token: str
    write_token_id: int
    spare_token_id: int  # another token of the lead, for revoking and renaming

    @property
    def prefix(self) -> str:
        return f"/api/v1/trusts/{self.tenant.slug}"


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def make_api_trust(app, display_name: str = "API NHS Trust", slug: str | None = None) -> ApiTrust:
    with app.app_context():
        tenant = trust_admin.onboard(slug=slug or f"api-{secrets.token_hex(4)}",
                                     display_name=display_name, actor="test")
    with tenant_context(tenant, app):
        lead = create_coordinator(db.session, email="lead@api.example", display_name="Lead",
                                  role="lead", password="pw-pw-pw-pw")
        _, read_text = service.issue(db.session, tenant, lead.id, "reporting", "read")
        write, write_text = service.issue(db.session, tenant, lead.id, "hr sync", "write")
        spare, _ = service.issue(db.session, tenant, lead.id, "spare", "write")
        db.session.commit()
        return ApiTrust(tenant, lead.id, read_text, write_text, write.id, spare.id)


@cache
def collected_document() -> dict:
    """The OpenAPI document, when tests are collected (before fixtures: no database needed,
    routes only), so tests can be parametrized with every operation."""
    return openapi_document(create_app({"TESTING": True}))


def trust_operations() -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation under /api/v1/trusts/{trust_slug}."""
    return [(path, method, op) for path, method, op in operations_of(collected_document())
            if "{trust_slug}" in path]


def fill_path(path: str, slug: str, ids: int) -> str:
    """A concrete URL: the trust's slug, and `ids` for every other parameter."""
    path = path.replace("{trust_slug}", slug)
    return re.sub(r"{[^}]+}", str(ids), path)
