"""Leads search their trust's audit trail; refusals are audited too."""

from __future__ import annotations

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.service import record, search
from tests.dp_support import onboard_with_staff, signed_in_client


@pytest.fixture(scope="module")
def trust(app):
    tenant = onboard_with_staff(app, "audit")
    with tenant_context(tenant, app=app):
        for n in range(3):
            record("application.viewed", "application", n, actor="trust:x:9")
        record("application.exported", "application", 1, actor="trust:x:8")
        db.session.commit()
    return tenant


def test_a_lead_finds_entries_by_action_prefix_record_and_person(app, trust):
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/audit"
    body = client.get(page, query_string={"action": "application."}).get_data(as_text=True)
    assert body.count("application.viewed") == 3 and "application.exported" in body
    body = client.get(page, query_string={"record_type": "application", "record_id": "1",
                                          "actor": "trust:x:8"}).get_data(as_text=True)
    assert "application.exported" in body and "application.viewed" not in body


def test_the_date_filter_covers_whole_days_and_rejects_nonsense(app, trust):
    client = signed_in_client(app, trust, "lead")
    page = f"/trusts/{trust.slug}/coordinator/audit"
    future = client.get(page, query_string={"date_from": "2999-01-01", "action": "application"})
    assert "application.viewed" not in future.get_data(as_text=True)
    bad = client.get(page, query_string={"date_from": "31/02/2026"})
    assert bad.status_code == 400 and "There is a problem" in bad.get_data(as_text=True)
    backwards = client.get(page, query_string={"date_from": "2026-02-02", "date_to": "2026-02-01"})
    assert backwards.status_code == 400


def test_searching_is_itself_audited_and_pages_by_keyset(app, trust):
    signed_in_client(app, trust, "lead").get(f"/trusts/{trust.slug}/coordinator/audit")
    with tenant_context(trust, app=app):
        assert search(db.session, action="audit.searched")
        first = search(db.session, action="application.viewed", limit=2)
        rest = search(db.session, action="application.viewed", before=first[-1].id)
        assert len(first) == 2 and len(rest) == 1 and rest[0].id < first[-1].id


def test_a_refused_request_is_recorded_in_the_trusts_audit_trail(app, trust):
    client = signed_in_client(app, trust, "panel")
    assert client.get(f"/trusts/{trust.slug}/coordinator/audit").status_code == 403
    with tenant_context(trust, app=app):
        refused = search(db.session, action="authorisation.refused")
        assert refused and refused[0].detail["status"] == 403
        assert refused[0].detail["route"] == "/trusts/<trust_slug>/coordinator/audit"
        assert refused[0].actor.startswith(f"trust:{trust.slug}:")
