"""The configuration endpoints of the trust API: bearer tokens, the same schemas, 422s."""

from __future__ import annotations

import json

import pytest

from tests.config.conftest import bearer


@pytest.fixture
def api(client, trust):
    tenant, tokens = trust
    base = f"/api/v1/trusts/{tenant.slug}"

    def call(method: str, path: str, scope: str = "write", headers=(), **kwargs):
        return client.open(base + path, method=method,
                           headers={**bearer(tokens[scope]), **dict(headers)}, **kwargs)

    return call


def test_courses_and_cohorts_are_created_read_and_refused_with_422(api):
    course = api("POST", "/courses", json={"name": "API course", "length_weeks": 12,
                                           "training_days": 2, "format": "classroom"})
    assert course.status_code == 201, course.get_json()
    course_id = course.get_json()["id"]
    cohort = {"course_id": course_id, "name": "API cohort", "capacity": 5,
              "eoi_opens_on": "2027-08-02", "eoi_closes_on": "2027-08-30",
              "starts_on": "2027-12-20"}
    created = api("POST", "/cohorts", json=cohort)
    assert created.status_code == 201
    body = created.get_json()
    assert body["places_offered"] == 0
    assert body["key_dates"][1]["bank_holidays"]  # 30 August 2027 is a bank holiday
    day = api("POST", f"/cohorts/{body['id']}/training-days",
              json={"on_date": "2027-12-27", "starts_at": "09:30", "ends_at": "16:00",
                    "place": "Room 1"})
    assert day.get_json()["training_days"][0]["bank_holiday"] == "Christmas Day"
    etag = api("GET", f"/cohorts/{body['id']}", scope="read").headers["ETag"]
    bad = api("PUT", f"/cohorts/{body['id']}", headers={"If-Match": etag},
              json={**cohort, "eoi_closes_on": "2027-07-01", "capacity": 0})
    assert bad.status_code == 422
    assert "capacity" in bad.get_json()["error"]["fields"]
    bad = api("PUT", f"/cohorts/{body['id']}", headers={"If-Match": etag},
              json={**cohort, "eoi_closes_on": "2027-07-01"})
    assert bad.status_code == 409 and "eoi_closes_on" in bad.get_json()["error"]["fields"]
    listed = api("GET", "/cohorts", scope="read").get_json()["items"]
    assert any(c["name"] == "API cohort" for c in listed)


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1,", b"NaN"])
def test_malformed_json_is_a_400(api, body):
    response = api("POST", "/courses", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize("body", [[1, 2], "text", 5, None, {"length_weeks": "many"}])
def test_wrong_shapes_are_422_with_field_messages(api, body):
    response = api("POST", "/information-sessions", data=json.dumps(body),
                   content_type="application/json")
    assert response.status_code == 422 and response.get_json()["error"]["fields"]


def test_a_read_token_reads_but_cannot_write(api):
    assert api("GET", "/courses", scope="read").status_code == 200
    assert api("POST", "/courses", scope="read", json={}).status_code == 403


def test_rule_set_versions_are_listed_saved_previewed_and_refused_by_name(api):
    listed = api("GET", "/eligibility/versions", scope="read").get_json()["items"]
    published = api("GET", "/questions", scope="read").get_json()["version_id"]
    assert published in [v["id"] for v in listed]
    questions = [{"key": "lived", "type": "yes_no", "label": "Lived experience?"}]
    bad = api("POST", "/eligibility/versions", json={
        "questions": questions,
        "rule_set": {"rules": [{"key": "r", "reason": "x", "when": {"any": []}}]}})
    assert bad.status_code == 409
    assert any("any" in problem for problem in bad.get_json()["error"]["fields"]["rule_set"])
    good = api("POST", "/eligibility/versions", json={
        "questions": questions, "publish": True,
        "rule_set": {"rules": [{"key": "r", "reason": "You need lived experience",
                                "when": {"answer": "lived", "is": True}}]}})
    assert good.status_code == 201 and good.get_json()["published_at"]
    version_id = good.get_json()["id"]
    assert api("GET", "/questions", scope="read").get_json()["version_id"] == version_id
    preview = api("POST", f"/eligibility/versions/{version_id}/preview", scope="read",
                  json={"answers": {"lived": False}})
    assert preview.get_json()["outcome"] == "not_eligible"
    wrong_shape = api("POST", f"/eligibility/versions/{version_id}/preview", scope="read",
                      json=[1])
    assert wrong_shape.status_code == 422 and wrong_shape.get_json()["error"]["fields"]
    assert api("POST", f"/eligibility/versions/{version_id}/preview", scope="read",
               data=b"[1", content_type="application/json").status_code == 400


def test_information_sessions_are_created_and_listed(api):
    created = api("POST", "/information-sessions", json={
        "title": "Online drop-in", "on_date": "2030-01-08", "starts_at": "18:00",
        "ends_at": "19:00", "online_url": "https://meet.example/abc"})
    assert created.status_code == 201
    listed = api("GET", "/information-sessions", scope="read").get_json()
    assert any(s["title"] == "Online drop-in" for s in listed["items"])
    assert api("GET", "/information-sessions/999999", scope="read").status_code == 404
