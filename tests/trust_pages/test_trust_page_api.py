"""The JSON twins of the trust page settings: blocks, crisis lines and stories."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.trustpage import service
from tests.api.api_helpers import bearer, make_api_trust

BLOCKS = {"about": "About <b>us</b>", "who_for": None, "after_applying": "An interview.",
          "postal_address": "1 Example Road", "postal_deadline": "2030-06-20",
          "places_limited": True, "course_is_free": False, "disability_confident": True,
          "contact_role": "Peer Support Worker Lead"}


@pytest.fixture(scope="module")
def api_trust(app):
    return make_api_trust(app, display_name="Page API NHS Trust")


def _get(client, api_trust, path: str):
    return client.get(api_trust.prefix + path, headers=bearer(api_trust.read_token))


def _put(client, api_trust, path: str, body: dict):
    etag = _get(client, api_trust, path).headers["ETag"]
    return client.put(api_trust.prefix + path, json=body,
                      headers={**bearer(api_trust.write_token), "If-Match": etag})


def test_the_trust_page_blocks_are_read_and_replaced_through_the_api(client, api_trust):
    assert _get(client, api_trust, "/trust-page").json["course_is_free"] is True
    response = _put(client, api_trust, "/trust-page", BLOCKS)
    assert response.status_code == 200, response.json
    assert response.json["postal_deadline"] == "2030-06-20"
    assert response.json["places_limited"] is True
    public = client.get(f"/trusts/{api_trust.tenant.slug}/").get_data(as_text=True)
    assert "About &lt;b&gt;us&lt;/b&gt;" in public and "Free training" not in public


def test_bad_blocks_are_refused_with_field_messages(client, api_trust):
    response = _put(client, api_trust, "/trust-page", {**BLOCKS, "places_limited": "yes"})
    assert response.status_code == 422 and "places_limited" in str(response.json)
    response = _put(client, api_trust, "/trust-page", {**BLOCKS, "postal_address": None})
    assert response.status_code in (409, 422) and "postal_address" in str(response.json)


def test_crisis_lines_are_listed_and_replaced_through_the_api(client, api_trust):
    national = _get(client, api_trust, "/crisis-lines").json["lines"]
    assert any(line["phone"] == "111" for line in national)
    lines = [{"name": "First Response", "phone": "0808 196 3494",
              "description": "Open 24 hours"}, {"name": "Samaritans", "phone": "116 123",
                                                "description": "Any time"}]
    response = _put(client, api_trust, "/crisis-lines", {"lines": lines})
    assert response.status_code == 200, response.json
    assert [line["name"] for line in response.json["lines"]] == ["First Response", "Samaritans"]
    page = client.get(f"/trusts/{api_trust.tenant.slug}/help-in-a-crisis")
    assert "First Response" in page.get_data(as_text=True)
    assert _put(client, api_trust, "/crisis-lines", {"lines": []}).status_code == 422


def test_a_read_token_may_not_change_the_page(client, api_trust):
    etag = _get(client, api_trust, "/trust-page").headers["ETag"]
    response = client.put(api_trust.prefix + "/trust-page", json=BLOCKS,
                          headers={**bearer(api_trust.read_token), "If-Match": etag})
    assert response.status_code == 403


def test_a_story_is_withdrawn_through_the_api(app, client, api_trust):
    with tenant_context(api_trust.tenant, app):
        story = service.add_story(db.session, {
            "role_title": "A peer support worker", "body": "My story.",
            "consent_given_on": dt.date(2026, 9, 1)}, "test")
        db.session.commit()
        story_id = story.id
    assert "My story." in client.get(f"/trusts/{api_trust.tenant.slug}/").get_data(as_text=True)
    listed = _get(client, api_trust, "/stories").json
    items = listed["items"] if isinstance(listed, dict) else listed
    assert [s["id"] for s in items] == [story_id] and items[0]["withdrawn_at"] is None
    response = client.post(f"{api_trust.prefix}/stories/{story_id}/withdraw",
                           headers=bearer(api_trust.write_token))
    assert response.status_code == 200 and response.json["withdrawn_at"]
    assert "My story." not in client.get(
        f"/trusts/{api_trust.tenant.slug}/").get_data(as_text=True)
    missing = client.post(f"{api_trust.prefix}/stories/999999/withdraw",
                          headers=bearer(api_trust.write_token))
    assert missing.status_code == 404
