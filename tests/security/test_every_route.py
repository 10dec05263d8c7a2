"""Every route of the app, found by walking app.url_map, so routes added later are covered
without touching this file: security headers, CSRF, and who may open what.

If a new page is deliberately public under /coordinator/ (a sign-in step, a password
reset), add its endpoint to PUBLIC_COORDINATOR_ENDPOINTS.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from werkzeug.routing import IntegerConverter, PathConverter, UUIDConverter

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.coordinators.service import find_by_email
from tests.dp_support import onboard_with_staff, signed_in_client, staff_email
from tests.test_coordinator_sign_in import csrf_from

# Reachable before sign-in by design: the sign-in steps themselves (each later step checks
# the pending sign-in it continues), the invitation link (checked by its token) and the
# token-free invitation page it leads to (checked by the grant the link left: peerpath.grants).
PUBLIC_COORDINATOR_ENDPOINTS = {
    "coordinators.sign_in", "coordinators.sign_out", "coordinators.two_factor",
    "coordinators.recovery_code", "coordinators.set_up_two_factor",
    "coordinators.accept_invitation", "coordinators.invitation",
}
# The API's own documentation is public on purpose: it describes, it holds no data.
PUBLIC_API_ENDPOINTS = {"api_meta.openapi_json", "api_meta.docs"}
# Provider callbacks authenticated by the provider's own bearer secret, not an API token.
CALLBACK_ENDPOINTS = {"notifications_callbacks.delivery_receipt"}
STATE_CHANGING = ("POST", "PUT", "PATCH", "DELETE")
REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"}


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    url: str
    methods: frozenset[str]

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def is_coordinator(self) -> bool:
        return "/coordinator/" in self.rule + "/" and not self.is_api


def dummy_value(converter) -> str:
    if isinstance(converter, IntegerConverter):
        return "1"
    if isinstance(converter, UUIDConverter):
        return str(uuid.UUID(int=1))
    if isinstance(converter, PathConverter):
        return "x/y"
    return "A1"


def every_route(app, slug: str) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        # Arguments that come from the rule's defaults have no converter and no URL part.
        values = {arg: slug if arg == "trust_slug" else dummy_value(rule._converters[arg])
                  for arg in rule.arguments if arg in rule._converters}
        _domain, url = rule.build(values, append_unknown=False)
        routes.append(Route(rule.endpoint, rule.rule, url,
                            frozenset(rule.methods - {"HEAD", "OPTIONS"})))
    return routes


@pytest.fixture(scope="module")
def trusts(app):
    return onboard_with_staff(app, "walk"), onboard_with_staff(app, "other")


@pytest.fixture(scope="module")
def routes(app, trusts):
    found = every_route(app, trusts[0].slug)
    assert len(found) >= 10 and any(r.is_coordinator for r in found) and \
        any(r.is_api for r in found), "the walk must see HTML, coordinator and API routes"
    return found


@pytest.mark.parametrize("who", ["anonymous", "lead"])
def test_every_get_response_carries_the_security_headers(app, routes, trusts, who):
    client = app.test_client() if who == "anonymous" else signed_in_client(app, trusts[0], who)
    for route in (r for r in routes if "GET" in r.methods):
        response = client.get(route.url)
        headers = response.headers
        assert response.status_code < 500, route.url
        csp = headers.get("Content-Security-Policy", "")
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src and "'unsafe-inline'" not in script_src.group(1), route.url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, route.url
        assert headers.get("X-Content-Type-Options") == "nosniff", route.url
        assert headers.get("Referrer-Policy") in REFERRER_POLICIES, route.url
        hsts = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
        assert hsts and int(hsts.group(1)) >= 31536000, route.url
        if route.endpoint != "static":
            assert "no-store" in headers.get("Cache-Control", ""), route.url


def test_every_state_changing_html_route_refuses_a_request_without_the_csrf_token(
        app, routes, trusts):
    anonymous = app.test_client()
    lead = signed_in_client(app, trusts[0], "lead")
    checked = 0
    for route in (r for r in routes if not r.is_api):
        for method in route.methods & set(STATE_CHANGING):
            for client in (anonymous, lead):
                response = client.open(route.url, method=method, data={"x": "1"})
                assert response.status_code == 400, f"{method} {route.url}"
                checked += 1
    assert checked >= 4


def test_every_api_route_needs_a_bearer_token(app, routes):
    client = app.test_client()
    for route in (r for r in routes if r.is_api and r.endpoint not in PUBLIC_API_ENDPOINTS):
        for method in route.methods:
            response = client.open(route.url, method=method, json={})
            assert response.status_code in (401, 404, 405), f"{method} {route.url}"


def test_every_coordinator_page_is_guarded(app, routes):
    for route in (r for r in routes if r.is_coordinator):
        if route.endpoint in PUBLIC_COORDINATOR_ENDPOINTS:
            continue
        view = app.view_functions[route.endpoint]
        assert hasattr(view, "coordinator_roles"), \
            f"{route.endpoint} needs @coordinator_required (or PUBLIC_COORDINATOR_ENDPOINTS)"


def _refused(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (401, 403, 404) or (
        response.status_code == 302 and "/coordinator/sign-in" in location)


def _guarded_routes(routes):
    return [r for r in routes if r.is_coordinator
            and r.endpoint not in PUBLIC_COORDINATOR_ENDPOINTS]


def test_coordinator_pages_refuse_anonymous_people_and_other_trusts_staff(app, routes, trusts):
    other = trusts[1]
    clients = [app.test_client(), signed_in_client(app, other, "lead")]
    tokens = [csrf_from(c.get(f"/trusts/{other.slug}/coordinator/sign-in")) for c in clients]
    for route in _guarded_routes(routes):
        for method in route.methods:
            for client, token in zip(clients, tokens, strict=True):
                data = {"csrf_token": token} if method in STATE_CHANGING else None
                response = client.open(route.url, method=method, data=data)
                assert _refused(response), f"{method} {route.url}: {response.status_code}"


@pytest.mark.parametrize("role", ["panel", "read_only"])
def test_coordinator_pages_refuse_roles_they_do_not_name(app, routes, trusts, role):
    this = trusts[0]
    client = signed_in_client(app, this, role)
    token = csrf_from(client.get(f"/trusts/{this.slug}/coordinator/sign-in"))
    refused = 0
    for route in _guarded_routes(routes):
        allowed = app.view_functions[route.endpoint].coordinator_roles
        if not allowed or role in allowed:
            continue
        for method in route.methods:
            data = {"csrf_token": token} if method in STATE_CHANGING else None
            response = client.open(route.url, method=method, data=data)
            assert response.status_code == 403, f"{role} {method} {route.url}"
            refused += 1
    assert refused >= 3, "lead-only pages exist, so some must refuse"


def test_api_routes_refuse_anonymous_callers_and_other_trusts_tokens(app, routes, trusts):
    other = trusts[1]
    with app.app_context(), tenant_context(other):
        lead = find_by_email(db.session, staff_email("lead"))
        _token, text = issue(db.session, other, lead.id, "walker", "write")
        db.session.commit()
    client = app.test_client()
    for route in (r for r in routes if r.rule.startswith("/api/v1/trusts/")):
        for method in route.methods:
            anonymous = client.open(route.url, method=method, json={})
            assert anonymous.status_code in (401, 405), f"{method} {route.url}"
            foreign = client.open(route.url, method=method, json={},
                                  headers={"Authorization": f"Bearer {text}"})
            # A provider callback takes only its provider's credential: any API token,
            # of this trust or another, is simply not it (401), and reveals nothing.
            allowed = (401, 404, 405) if route.endpoint in CALLBACK_ENDPOINTS else (404, 405)
            assert foreign.status_code in allowed, f"{method} {route.url}"
