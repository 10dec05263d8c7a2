"""Resolving the request's trust: from a registered host name, or the /trusts/<slug>/ prefix.

A request on a trust's own host name is rewritten to the path form before Flask routes it,
so every tenant page has one set of routes. A request whose host names one trust and whose
path names another is refused (404). The trust is looked up once, bound to the request's
database session and kept in `g.tenant`; there is no default.
"""

from __future__ import annotations

from flask import Flask, g, request

from peerpath.extensions import db
from peerpath.tenancy import (
    UnknownTenant,
    bind_session,
    find_tenant,
    find_tenant_by_host,
    require_active,
)

TENANT_PREFIX = "/trusts/"
HOST_TENANT_KEY = "peerpath.host_tenant"


class HostTenantMiddleware:
    """Maps https://<trust host>/path to /trusts/<slug>/path before routing."""

    def __init__(self, wsgi_app, flask_app: Flask):
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "")
        path = environ.get("PATH_INFO", "")
        if host and not path.startswith(("/static/", "/api/", "/admin")):
            with self.flask_app.app_context():
                tenant = find_tenant_by_host(host, environ)
            if tenant is not None:
                environ[HOST_TENANT_KEY] = tenant.slug
                if not path.startswith(TENANT_PREFIX):
                    environ["PATH_INFO"] = f"{TENANT_PREFIX}{tenant.slug}{path or '/'}"
        return self.wsgi_app(environ, start_response)


def init_routing(app: Flask) -> None:
    app.wsgi_app = HostTenantMiddleware(app.wsgi_app, app)

    @app.url_value_preprocessor
    def resolve_tenant(endpoint, values):
        if not values or "trust_slug" not in values:
            return
        slug = values.pop("trust_slug")
        host_slug = request.environ.get(HOST_TENANT_KEY)
        if host_slug and host_slug != slug:
            raise UnknownTenant(slug)
        tenant = find_tenant(slug)
        g.tenant = tenant
        require_active(tenant)
        bind_session(db.session(), tenant)

    @app.url_defaults
    def add_trust_slug(endpoint, values):
        tenant = g.get("tenant")
        if tenant is not None and "trust_slug" not in values and \
                app.url_map.is_endpoint_expecting(endpoint, "trust_slug"):
            values["trust_slug"] = tenant.slug
