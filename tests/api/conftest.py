"""API test fixtures: trusts with a lead coordinator and read/write tokens, made once a module."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from peerpath import trust_admin
from peerpath.extensions import db
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


@pytest.fixture(scope="module")
def api_trust(app) -> ApiTrust:
    return make_api_trust(app)


@pytest.fixture(scope="module")
def other_api_trust(app) -> ApiTrust:
    return make_api_trust(app, display_name="Other NHS Trust")
