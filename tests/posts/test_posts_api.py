"""The posts in the JSON API: teams, posts, interest and a placement that becomes the
trainee's outcome; refusals are 409s and bad input 422s, never a 500."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.training.models import Outcome
from tests.api.api_helpers import bearer, make_api_trust
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, stage_of


def test_a_placement_through_the_api_fills_the_post_and_records_the_outcome(app, client):
    api = make_api_trust(app, display_name="Posts API NHS Trust")
    write, read = bearer(api.write_token), bearer(api.read_token)
    cohort = create_cohort(app, api.tenant, name="API cohort")
    completer = make_application(app, api.tenant, cohort, stage="completed")
    trainee = make_application(app, api.tenant, cohort, stage="in_training")

    team = client.post(f"{api.prefix}/teams", headers=write, json={
        "name": "Mind in Leicestershire", "kind": "partner_organisation",
        "locality": "Leicester"})
    assert team.status_code == 201, team.get_json()
    assert client.post(f"{api.prefix}/teams", headers=write, json={
        "name": "Mind in Leicestershire", "kind": "partner_organisation"}).status_code == 409
    post = client.post(f"{api.prefix}/posts", headers=write, json={
        "team_id": team.get_json()["id"], "title": "Peer mentor", "role": "other",
        "hours_per_week": 16, "status": "advertised"})
    assert post.status_code == 201, post.get_json()
    post_id = post.get_json()["id"]
    assert client.post(f"{api.prefix}/posts", headers=write, json={
        "team_id": team.get_json()["id"], "title": "Peer mentor", "role": "other",
        "hours_per_week": "lots"}).status_code == 422
    assert client.post(f"{api.prefix}/posts", headers=read, json={
        "team_id": 1, "title": "x", "role": "psw"}).status_code == 403

    refused = client.post(f"{api.prefix}/posts/{post_id}/candidacies", headers=write,
                          json={"application_id": trainee})
    assert refused.status_code == 409
    interest = client.post(f"{api.prefix}/posts/{post_id}/candidacies", headers=write,
                           json={"application_id": completer})
    assert interest.status_code == 201 and interest.get_json()["status"] == "interested"
    placed = client.post(f"{api.prefix}/candidacies/{interest.get_json()['id']}/actions",
                         headers=write, json={"action": "place", "placed_on": "2027-01-04"})
    assert placed.status_code == 200, placed.get_json()
    assert placed.get_json()["status"] == "placed"
    posts = client.get(f"{api.prefix}/posts", headers=read).get_json()
    assert [p["status"] for p in posts["items"]] == ["filled"]
    assert client.post(f"{api.prefix}/posts/{post_id}/status", headers=write,
                       json={"status": "advertised"}).status_code == 409
    assert stage_of(app, api.tenant, completer) == "outcome_recorded"
    with tenant_context(api.tenant, app):
        outcome = db.session.scalars(select(Outcome).where(
            Outcome.application_id == completer)).one()
        assert (outcome.kind, outcome.detail) == ("partner_organisation",
                                                  "Peer mentor, Mind in Leicestershire")
