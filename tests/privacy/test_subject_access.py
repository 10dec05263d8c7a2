"""Subject access and erasure, over whatever providers are registered (here: the tests')."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.service import record, search
from tenants.retention import registry
from tests.dp_support import create_people_table, csrf_token, onboard_with_staff, signed_in_client

NAME = "Canary Applicant Seven"


def person_data(session, subject_ref):
    rows = session.execute(text("SELECT name, status, cohort_start FROM people WHERE ref = :r"),
                           {"r": subject_ref}).mappings().all()
    return [dict(r) for r in rows]


def person_records(session, subject_ref):
    return [("application", f"app-{subject_ref}")]


def erase_person(session, subject_ref, request):
    return {"people": session.execute(text("UPDATE people SET name = NULL WHERE ref = :r"),
                                      {"r": subject_ref}).rowcount}


@pytest.fixture
def trust(app, database_url, monkeypatch):
    monkeypatch.setitem(registry.SUBJECT_DATA, "people",
                        registry.SubjectData("people", person_data, person_records))
    monkeypatch.setitem(registry.ERASERS, "people", erase_person)
    tenant = onboard_with_staff(app, "sar")
    create_people_table(database_url, tenant)
    with tenant_context(tenant, app=app):
        db.session.execute(text("INSERT INTO people (ref, name, status, cohort_start) VALUES "
                                "('A7', :n, 'applied', '2026-09-01'), "
                                "('A8', 'Someone Else', 'applied', '2026-09-01')"), {"n": NAME})
        record("application.viewed", "application", "app-A7", actor="trust:x:5")
        db.session.commit()
    return tenant


def test_a_coordinator_sees_everything_held_and_who_viewed_it(app, trust):
    client = signed_in_client(app, trust, "coordinator")
    body = client.get(f"/trusts/{trust.slug}/coordinator/subject-access/A7").get_data(
        as_text=True)
    assert NAME in body and "Someone Else" not in body and "2026-09-01" in body
    assert "application.viewed" in body and "trust:x:5" in body


def test_the_json_export_is_machine_readable_and_the_export_is_audited(app, trust):
    client = signed_in_client(app, trust, "coordinator")
    response = client.get(f"/trusts/{trust.slug}/coordinator/subject-access/A7.json")
    assert response.status_code == 200 and "attachment" in response.headers[
        "Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["trust"] == trust.slug and data["subject_ref"] == "A7"
    assert data["sections"]["people"] == [{"name": NAME, "status": "applied",
                                           "cohort_start": "2026-09-01"}]
    assert any(e["action"] == "application.viewed" for e in data["audit_trail"])
    with tenant_context(trust, app=app):
        assert search(db.session, action="subject_access.exported", record_id="A7")


def test_the_lookup_form_checks_the_reference(app, trust):
    client = signed_in_client(app, trust, "coordinator")
    page = f"/trusts/{trust.slug}/coordinator/subject-access"
    bad = client.post(page, data={"subject_ref": "../etc", "csrf_token": csrf_token(client, page)})
    assert bad.status_code == 400 and "There is a problem" in bad.get_data(as_text=True)
    good = client.post(page, data={"subject_ref": "A7", "csrf_token": csrf_token(client, page)})
    assert good.headers["Location"].endswith("/coordinator/subject-access/A7")


def test_erasure_removes_the_personal_data_records_why_and_keeps_the_rows(app, trust,
                                                                           owner_conn):
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/subject-access/A7/erase"
    missing = client.post(page, data={"reason": "Asked by email",
                                      "csrf_token": csrf_token(client, page)})
    assert missing.status_code == 400 and "Asked by email</textarea>" in missing.get_data(
        as_text=True)
    done = client.post(page, data={"reason": "Asked by email", "confirm": "yes",
                                   "csrf_token": csrf_token(client, page)})
    assert done.status_code == 302
    with tenant_context(trust, app=app):
        rows = db.session.execute(text("SELECT ref, name FROM people ORDER BY ref")).all()
        assert [tuple(r) for r in rows] == [("A7", None), ("A8", "Someone Else")]
        assert search(db.session, action="subject.erased", record_id="A7")
    report = client.get(f"/trusts/{trust.slug}/coordinator/subject-access/A7.json")
    erasure = json.loads(report.get_data(as_text=True))["sections"]["erasure"][0]
    assert erasure["reason"] == "Asked by email" and erasure["counts"]["people"] == {"people": 1}
    stored = owner_conn.execute(f'SELECT reason FROM "{trust.schema}".erasure_records'
                                ).fetchone()[0]
    assert "email" not in stored, "the reason is encrypted at rest"


def test_what_the_trust_must_keep_is_kept_with_its_reason(app, trust):
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/subject-access/A7/erase"
    no_reason = client.post(page, data={"reason": "Asked", "confirm": "yes", "keep": "people",
                                        "csrf_token": csrf_token(client, page)})
    assert no_reason.status_code == 400 and "why the trust must keep" in no_reason.get_data(
        as_text=True)
    kept = client.post(page, data={"reason": "Asked", "confirm": "yes", "keep": "people",
                                   "kept_reason": "Employment tribunal pending",
                                   "csrf_token": csrf_token(client, page)})
    assert kept.status_code == 302
    with tenant_context(trust, app=app):
        assert db.session.execute(text("SELECT name FROM people WHERE ref = 'A7'")
                                  ).scalar_one() == NAME


def test_panel_members_cannot_see_subject_access_and_coordinators_cannot_erase(app, trust):
    panel = signed_in_client(app, trust, "panel")
    assert panel.get(f"/trusts/{trust.slug}/coordinator/subject-access/A7").status_code == 403
    coordinator = signed_in_client(app, trust, "coordinator")
    assert coordinator.get(f"/trusts/{trust.slug}/coordinator/subject-access/A7/erase"
                           ).status_code == 403
