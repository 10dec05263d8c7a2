"""Helpers of the API tests: trusts with tokens, and the operations of the OpenAPI document."""

from __future__ import annotations

import copy
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import schemathesis

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


TRUST_API = "/api/v1/trusts/"
PLATFORM_API = "/api/v1/platform/"


def trust_operations() -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation under /api/v1/trusts/{trust_slug}."""
    return operations_under(TRUST_API)


def platform_operations() -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation of the platform admins' API."""
    return operations_under(PLATFORM_API)


def operations_under(prefix: str) -> list[tuple[str, str, dict]]:
    return [(path, method, op) for path, method, op in operations_of(collected_document())
            if path.startswith(prefix)]


def fill_path(path: str, slug: str, ids: int) -> str:
    """A concrete URL: the trust's slug, and `ids` for every other parameter."""
    path = re.sub(r"{(trust_)?slug}", slug, path)
    return re.sub(r"{[^}]+}", str(ids), path)


# --- Fuzzing (schemathesis) -------------------------------------------------------------

# A PUT/PATCH without If-Match is a 428 Precondition Required (RFC 6585), by design.
FUZZ_CONFIG = schemathesis.Config.from_dict({
    "checks": {"missing_required_header": {"expected-statuses": [
        "400", "401", "403", "406", "415", "422", "428"]}},
})


def fuzzing_schema(prefix: str, pinned: dict[str, list[str]]):
    """A schemathesis schema of the API's operations under `prefix`, with the path
    parameters in `pinned` limited to the given values (the trusts made for fuzzing).

    schemathesis parametrizes at collection time, from the document of an app made then
    (its lazy `from_fixture` loader does not work with pytest 9). Pinned in the document
    rather than with schemathesis' parameter override, so negative cases still get other
    values, and a 404 for them.
    """
    document = copy.deepcopy(collected_document())
    document["paths"] = {path: item for path, item in document["paths"].items()
                         if path.startswith(prefix)}
    for item in document["paths"].values():
        for parameter in item.get("parameters", []):
            if parameter["name"] in pinned:
                parameter["schema"] = {"type": "string", "enum": pinned[parameter["name"]]}
    return schemathesis.openapi.from_dict(document, config=FUZZ_CONFIG)


@contextmanager
def lifted_rate_limits(app):
    """Fuzzing sends far more than a client would: lift the per-token limits meanwhile
    (test_api_conventions.py checks the limits themselves)."""
    keys = ("API_RATE_LIMIT_READ", "API_RATE_LIMIT_WRITE")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(dict.fromkeys(keys, "100000/minute"))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                app.config.pop(key, None)
            else:
                app.config[key] = value


def is_positive(case) -> bool:
    return case.meta is None or not case.meta.generation.mode.is_negative
