"""Resolving the request's trust: from a registered host name, or the /trusts/<slug>/ prefix.

A request on a trust's own host name is rewritten to the path form before Flask routes it,
so every tenant page has one set of routes. A request whose host names one trust and whose
path names another is refused (404). The trust is looked up once, by the first statement of
the request's tenant transaction (which also sets its search_path and role: see
tenancy.open_tenant), and kept in `g.tenant`; there is no default.

Host pinning: a request is answered only on a configured platform host (PLATFORM_HOSTS,
which holds PUBLIC_URL's host, and loopback names outside production) or a trust's registered
host; anything else, an absolute-form request target naming another host, a trailing-dot or
malformed host, is a 400 before any page is built.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, abort, g, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound, ServiceUnavailable

from peerpath.api import MAX_ID
from peerpath.extensions import db
from peerpath.tenancy import UnknownTenant, find_tenant_by_host, open_tenant, require_active

TENANT_PREFIX = "/trusts/"
HOST_TENANT_KEY = "peerpath.host_tenant"
REFUSED_HOST_KEY = "peerpath.refused_host"
OUTAGE_KEY = "peerpath.outage"
# A DNS name (no trailing dot) or an IPv4 address, with an optional port; or an IPv6 literal.
HOST_PATTERN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]"
                          r"{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$")


def refuse_impossible_ids(values: dict | None) -> None:
    """Ids are PostgreSQL integers (bigint at most): a path id past that range (or 0; a
    negative one never matches `<int:...>`) is a 404 on every route, pages and API alike,
    not a database error. Checked after routing rather than by a bounded converter, since
    werkzeug turns a converter's refusal into a 405 when another method's rule has the
    same path."""
    for value in (values or {}).values():
        if isinstance(value, int) and not isinstance(value, bool) and \
                not 1 <= value <= MAX_ID:
            raise NotFound()


def host_name(netloc: str) -> str | None:
    """The host of a Host header or authority, lower-cased without the port; None if it
    is malformed (a trailing dot, user info, odd characters)."""
    netloc = (netloc or "").strip().lower()
    if not HOST_PATTERN.fullmatch(netloc):
        return None
    if netloc.startswith("["):
        return netloc[1:netloc.index("]")]
    return netloc.rsplit(":", 1)[0] if ":" in netloc else netloc


def requested_hosts(environ) -> list[str | None]:
    """Every host the request names: its Host header, and an absolute-form target's."""
    hosts = [host_name(environ.get("HTTP_HOST", ""))]
    raw_target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    if "://" in raw_target.split("?", 1)[0]:
        hosts.append(host_name(urlsplit(raw_target).netloc))
    return hosts


class HostTenantMiddleware:
    """Pins the Host, then maps https://<trust host>/path to /trusts/<slug>/path."""

    def __init__(self, wsgi_app, flask_app: Flask):
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app

    def __call__(self, environ, start_response):
        try:
            self.pin_host(environ)
        except SQLAlchemyError:
            environ[OUTAGE_KEY] = True  # answered with the 503 page, which needs no database
        return self.wsgi_app(environ, start_response)

    def pin_host(self, environ) -> None:
        platform_hosts = self.flask_app.config["PLATFORM_HOSTS"]
        tenants = set()
        for host in requested_hosts(environ):
            if host in platform_hosts:
                continue
            with self.flask_app.app_context():
                tenant = find_tenant_by_host(host, environ) if host else None
            if tenant is None:
                environ[REFUSED_HOST_KEY] = True
                return
            tenants.add(tenant)
        if len(tenants) > 1:
            environ[REFUSED_HOST_KEY] = True
        elif tenants:
            tenant = tenants.pop()
            environ[HOST_TENANT_KEY] = tenant.slug
            path = environ.get("PATH_INFO", "")
            if not path.startswith((TENANT_PREFIX, "/static/", "/api/", "/admin")):
                environ["PATH_INFO"] = f"{TENANT_PREFIX}{tenant.slug}{path or '/'}"


def init_routing(app: Flask) -> None:
    app.wsgi_app = HostTenantMiddleware(app.wsgi_app, app)

    @app.url_value_preprocessor
    def refuse_unpinned_hosts(endpoint, values):
        # Registered first, so it runs before the tenant is resolved, even for a 404.
        if request.environ.get(OUTAGE_KEY):
            raise ServiceUnavailable()
        if request.environ.get(REFUSED_HOST_KEY):
            abort(400, "This address is not served here.")
        refuse_impossible_ids(values)

    @app.url_value_preprocessor
    def resolve_tenant(endpoint, values):
        if not values or "trust_slug" not in values:
            return
        slug = values.pop("trust_slug")
        host_slug = request.environ.get(HOST_TENANT_KEY)
        if host_slug and host_slug != slug:
            raise UnknownTenant(slug)
        g.tenant = open_tenant(db.session(), slug)
        require_active(g.tenant)

    @app.url_defaults
    def add_trust_slug(endpoint, values):
        tenant = g.get("tenant")
        if tenant is not None and "trust_slug" not in values and \
                app.url_map.is_endpoint_expecting(endpoint, "trust_slug"):
            values["trust_slug"] = tenant.slug
