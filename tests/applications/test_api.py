"""The applications API: list, detail with history, and transitions through the state machine."""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications import service
from tenants.coordinators.service import create_coordinator
from tests.applications.helpers import create_cohort, onboard_trust


@pytest.fixture(scope="module")
def setup(app):
    tenant = onboard_trust(app, "api", "API Trust")
    cohort_id = create_cohort(app, tenant)
    with tenant_context(tenant, app):
        lead = create_coordinator(db.session, email="lead@api.example", display_name="Lead",
                                  role="lead")
        _, write = issue(db.session, tenant, lead.id, "tests", "write")
        _, read = issue(db.session, tenant, lead.id, "tests", "read")
        cohort = service.sources.get_cohort(db.session, cohort_id)
        application, _ = service.start(db.session, cohort, name="Robin Example",
                                       email="robin@applicant.example",
                                       on=service.sources.today())
        service.save_answers(db.session, application, {"lived_experience": True}, step=None,
                             actor="test")
        service.transition(db.session, application, "eoi_submitted", actor="test")
        db.session.commit()
        return {"tenant": tenant, "write": write, "read": read, "id": application.id,
                "cohort_id": cohort_id}


def call(client, setup, method, path, token="read", **kwargs):
    url = f"/api/v1/trusts/{setup['tenant'].slug}{path}"
    return client.open(url, method=method,
                       headers={"Authorization": f"Bearer {setup[token]}"}, **kwargs)


def test_the_list_filters_by_cohort_and_stage_and_carries_no_answers(client, setup):
    body = call(client, setup, "GET",
                f"/applications?cohort_id={setup['cohort_id']}&stage=eoi_submitted").get_json()
    assert [item["id"] for item in body["items"]] == [setup["id"]]
    assert body["next_cursor"] is None
    assert "answers" not in body["items"][0]
    assert call(client, setup, "GET", "/applications?stage=hired").status_code == 422
    assert call(client, setup, "GET", "/applications?limit=0").status_code == 422


def test_the_detail_has_answers_history_and_allowed_moves(client, setup):
    body = call(client, setup, "GET", f"/applications/{setup['id']}").get_json()
    assert body["answers"] == {"lived_experience": True}
    assert [h["to"] for h in body["history"]] == ["interest_registered", "eoi_submitted"]
    assert "eligibility_checked" in body["allowed_moves"]
    assert "equality" not in str(body).lower()


def test_an_illegal_jump_is_refused_with_a_reason(client, setup):
    response = call(client, setup, "POST", f"/applications/{setup['id']}/transitions",
                    token="write", json={"to": "place_offered"})
    assert response.status_code == 409
    assert "cannot move to 'Place offered'" in response.get_json()["error"]["message"]


def test_a_legal_move_is_recorded_with_who_and_why(client, setup):
    response = call(client, setup, "POST", f"/applications/{setup['id']}/transitions",
                    token="write", json={"to": "eligibility_checked", "reason": "Reviewed"})
    assert response.status_code == 200
    last = response.get_json()["history"][-1]
    assert (last["to"], last["reason"]) == ("eligibility_checked", "Reviewed")
    assert last["actor"].startswith("api-token:")


def test_bad_bodies_get_400_or_422_and_read_tokens_cannot_write(client, setup):
    path = f"/applications/{setup['id']}/transitions"
    assert call(client, setup, "POST", path, token="write", data="{oops",
                content_type="application/json").status_code == 400
    assert call(client, setup, "POST", path, token="write", json={"to": 5}).status_code == 422
    assert call(client, setup, "POST", path, json={"to": "shortlisted"}).status_code == 403


def test_another_trusts_token_and_unknown_ids_read_as_missing(client, setup, make_trust):
    assert call(client, setup, "GET", "/applications/999999999").status_code == 404
    other = make_trust()
    response = client.get(f"/api/v1/trusts/{other.slug}/applications/{setup['id']}",
                          headers={"Authorization": f"Bearer {setup['read']}"})
    assert response.status_code == 404
