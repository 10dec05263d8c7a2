"""Absolute links for messages (e-mails, texts, letters), built from configuration.

Never from the request's Host header: a request sent with `Host: attacker.example` must not
make a trust mail its applicant a genuine sign-in link to the attacker's host. A link inside
a trust goes to the trust's first registered host name when it has one, otherwise to the
platform's PUBLIC_URL (PEERPATH_PUBLIC_URL, required in production) under /trusts/<slug>/.
The web process and the worker build the same link: neither needs a request.

Outside production, when PUBLIC_URL is not set (the test suite, a bare `flask run`), the
request's host is used: host pinning (peerpath.routing) has already refused every host
that is not a loopback name or a registered trust host, so it cannot be an attacker's.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import current_app, g, has_request_context, request

from peerpath.routing import TENANT_PREFIX
from peerpath.tenancy import Tenant

FALLBACK_BASE = "http://localhost"


def public_base_url() -> str:
    """The platform's own address, without a trailing slash."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if current_app.config.get("ENV_NAME") == "production":
        raise RuntimeError("PEERPATH_PUBLIC_URL is required in production")
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK_BASE


def _path_for(endpoint: str, values: dict) -> str:
    """The path of `endpoint`, with or without a request (a job has none)."""
    app = current_app
    app.inject_url_defaults(endpoint, values)  # e.g. the current trust's slug
    adapter = app.url_map.bind("localhost", script_name="/")
    return adapter.build(endpoint, values)


def trust_base_url(tenant: Tenant) -> str:
    """The trust's own host on the platform's scheme and port (`make run` serves both)."""
    base = urlsplit(public_base_url())
    netloc = tenant.hosts[0] + (f":{base.port}" if base.port else "")
    return urlunsplit((base.scheme, netloc, "", "", ""))


def external_url(endpoint: str, tenant: Tenant | None = None, **values) -> str:
    """An absolute URL for `endpoint`, for a message that is read outside this request."""
    tenant = tenant or g.get("tenant")
    if tenant is not None and "trust_slug" not in values and \
            current_app.url_map.is_endpoint_expecting(endpoint, "trust_slug"):
        values["trust_slug"] = tenant.slug
    path = _path_for(endpoint, values)
    prefix = f"{TENANT_PREFIX}{tenant.slug}" if tenant is not None else None
    if tenant is not None and tenant.hosts and (path == prefix or path.startswith(prefix + "/")):
        return trust_base_url(tenant) + (path[len(prefix):] or "/")
    return public_base_url() + path
