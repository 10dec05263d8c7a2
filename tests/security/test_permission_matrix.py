"""The whole role x route matrix, for pages and the API, from one table.

tenants.coordinators.permissions.PERMISSIONS says which roles hold each permission; every
coordinator page and every trust API operation names one. These tests walk app.url_map,
so a route added later is covered as soon as it is registered: each role gets exactly the
pages and API operations its permission allows (403 otherwise), and an API token never
does more than its owner's current role, nor more than its scope.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.coordinators.models import ROLES
from tenants.coordinators.permissions import PERMISSIONS, permits
from tenants.coordinators.service import find_by_email
from tests.dp_support import onboard_with_staff, signed_in_client, staff_email
from tests.security.test_every_route import (
    CALLBACK_ENDPOINTS,
    PUBLIC_API_ENDPOINTS,
    PUBLIC_COORDINATOR_ENDPOINTS,
    STATE_CHANGING,
    every_route,
)
from tests.test_coordinator_sign_in import csrf_from

# Ids that exist nowhere: a permitted request reaches the view and finds nothing (404) or
# fails validation, so walking every state-changing route as every role changes nothing.
ABSENT_ID = "987654321"

# Written out by hand, apart from the table, from issue 15: a regression here means the
# table itself was loosened.
REFUSED_THROUGH_THE_API = [
    ("panel", "GET", "/applications"),
    ("panel", "GET", f"/applications/{ABSENT_ID}/notes"),
    ("panel", "GET", "/notifications/messages"),
    ("read_only", "GET", "/notifications/messages"),
    ("read_only", "POST", f"/applications/{ABSENT_ID}/notes"),
    ("coordinator", "POST", "/courses"),
]


def _absent_ids(url: str) -> str:
    return "/".join(ABSENT_ID if part == "1" else part for part in url.split("/"))


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "matrix")


@pytest.fixture(scope="module")
def routes(app, trust):
    return [replace(route, url=_absent_ids(route.url)) for route in every_route(app, trust.slug)]


def _pages(routes):
    return [r for r in routes if r.is_coordinator and r.endpoint not in
            PUBLIC_COORDINATOR_ENDPOINTS]


def _trust_api(routes):
    return [r for r in routes if r.rule.startswith("/api/v1/trusts/")
            and r.endpoint not in CALLBACK_ENDPOINTS | PUBLIC_API_ENDPOINTS]


def _permission_of(app, route) -> str:
    return app.view_functions[route.endpoint].permission


@pytest.fixture(scope="module")
def tokens(app, trust):
    """A read and a write token for each role (issued directly: the matrix must hold even
    for tokens the token page would not issue, such as one kept after a demotion)."""
    made = {}
    with app.app_context(), tenant_context(trust):
        for role in ROLES:
            owner = find_by_email(db.session, staff_email(role))
            for scope in ("read", "write"):
                made[role, scope] = issue(db.session, trust, owner.id, f"{role} {scope}",
                                          scope)[1]
        db.session.commit()
    return made


def test_every_coordinator_page_and_api_operation_names_a_permission_from_the_table(
        app, routes):
    named = {_permission_of(app, r) for r in _pages(routes) + _trust_api(routes)}
    assert named <= set(PERMISSIONS)
    assert len(_pages(routes)) > 40 and len(_trust_api(routes)) > 30
    unused = set(PERMISSIONS) - named
    assert not unused, f"permissions no route uses: {unused}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_pages_its_permissions_allow(app, routes, trust, role):
    client = signed_in_client(app, trust, role)
    token = csrf_from(client.get(f"/trusts/{trust.slug}/coordinator/sign-in"))
    allowed = refused = 0
    for route in _pages(routes):
        may = permits(role, _permission_of(app, route))
        for method in sorted(route.methods):
            data = {"csrf_token": token} if method in STATE_CHANGING else None
            response = client.open(route.url, method=method, data=data)
            where = f"{role} {method} {route.url} ({_permission_of(app, route)})"
            assert response.status_code < 500, where
            assert "/coordinator/sign-in" not in response.headers.get("Location", ""), where
            if may:
                assert response.status_code != 403, where
                allowed += 1
            else:
                assert response.status_code == 403, where
                refused += 1
    assert allowed > 0
    assert refused > 0 or role == "lead"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_s_api_tokens_do_what_its_pages_allow_and_no_more_than_their_scope(
        app, routes, tokens, role):
    client = app.test_client()
    for route in _trust_api(routes):
        name = _permission_of(app, route)
        for method in sorted(route.methods):
            for scope in ("read", "write"):
                may = permits(role, name) and (PERMISSIONS[name].scope == "read"
                                               or scope == "write")
                headers = {"Authorization": f"Bearer {tokens[role, scope]}",
                           "If-Match": "*"}
                response = client.open(route.url, method=method, json={}, headers=headers)
                where = f"{role} {scope} token: {method} {route.url} ({name})"
                assert response.status_code < 500, where
                if may:
                    assert response.status_code not in (401, 403), where
                else:
                    assert response.status_code == 403, where


@pytest.mark.parametrize(("role", "method", "path"), REFUSED_THROUGH_THE_API)
def test_the_api_refuses_what_the_issue_found_open(app, trust, tokens, role, method, path):
    response = app.test_client().open(
        f"/api/v1/trusts/{trust.slug}{path}", method=method, json={},
        headers={"Authorization": f"Bearer {tokens[role, 'write']}"})
    assert response.status_code == 403


def test_a_write_token_stops_writing_as_soon_as_its_owner_is_demoted(app):
    trust = onboard_with_staff(app, "demote")
    with app.app_context(), tenant_context(trust):
        owner = find_by_email(db.session, staff_email("coordinator"))
        _token, text = issue(db.session, trust, owner.id, "sync", "write")
        db.session.commit()
    client = app.test_client()
    notes = f"/api/v1/trusts/{trust.slug}/applications/{ABSENT_ID}/notes"
    headers = {"Authorization": f"Bearer {text}"}

    def set_role(role):
        with app.app_context(), tenant_context(trust):
            find_by_email(db.session, staff_email("coordinator")).role = role
            db.session.commit()

    assert client.post(notes, json={"body": "hello"}, headers=headers).status_code == 404
    set_role("read_only")
    assert client.post(notes, json={"body": "hello"}, headers=headers).status_code == 403
    assert client.get(notes, headers=headers).status_code == 404  # read_only may still read
    set_role("panel")
    assert client.get(notes, headers=headers).status_code == 403
    set_role("coordinator")
    assert client.post(notes, json={"body": "hello"}, headers=headers).status_code == 404


def test_a_guard_names_a_permission_from_the_table_never_a_role():
    from tenants.api_tokens.auth import api_access
    from tenants.coordinators.auth import coordinator_required
    from tenants.coordinators.permissions import UnknownPermission

    for guard in (coordinator_required, api_access):
        with pytest.raises(UnknownPermission, match="PERMISSIONS"):
            guard("lead")


# --- Per-person permissions (grants) beside the roles ------------------------------------

GRANTED = sorted({p.grant for p in PERMISSIONS.values() if p.grant})


@pytest.fixture(scope="module")
def grant_trust(app):
    return onboard_with_staff(app, "grants")


def _set_lead_grants(app, trust, grants) -> int:
    with app.app_context(), tenant_context(trust):
        lead = find_by_email(db.session, staff_email("lead"))
        lead.grants = list(grants)
        db.session.commit()
        return lead.id


def _status_of_every_route_needing(app, trust, routes, grant, token) -> dict:
    """Status of each page (as the signed-in lead) and API operation (with the lead's
    write token) whose permission needs `grant`."""
    client = signed_in_client(app, trust, "lead")
    csrf = csrf_from(client.get(f"/trusts/{trust.slug}/coordinator/sign-in"))
    seen = {}
    for route in _pages(routes) + _trust_api(routes):
        if PERMISSIONS[_permission_of(app, route)].grant != grant:
            continue
        api = route in _trust_api(routes)
        for method in sorted(route.methods):
            if api:
                response = app.test_client().open(route.url, method=method, json={}, headers={
                    "Authorization": f"Bearer {token}", "If-Match": "*"})
            else:
                response = client.open(route.url, method=method, data={"csrf_token": csrf}
                                       if method in STATE_CHANGING else None)
            seen[method, route.url] = response.status_code
    return seen


@pytest.mark.parametrize("grant", GRANTED)
def test_a_grant_taken_away_closes_its_pages_and_their_api_twins_and_giving_it_opens_them(
        app, grant_trust, grant):
    routes = [replace(route, url=_absent_ids(route.url))
              for route in every_route(app, grant_trust.slug)]
    lead_id = _set_lead_grants(app, grant_trust, [g for g in GRANTED if g != grant])
    with app.app_context(), tenant_context(grant_trust):
        token = issue(db.session, grant_trust, lead_id, f"grants {grant}", "write")[1]
        db.session.commit()
    try:
        without = _status_of_every_route_needing(app, grant_trust, routes, grant, token)
        assert without, f"no route needs {grant}"
        assert set(without.values()) == {403}, without
        _set_lead_grants(app, grant_trust, GRANTED)
        granted = _status_of_every_route_needing(app, grant_trust, routes, grant, token)
        assert granted.keys() == without.keys()
        assert all(status not in (401, 403) and status < 500 for status in granted.values()), \
            granted
    finally:
        _set_lead_grants(app, grant_trust, GRANTED)
