"""Subject access and erasure of real applicants, made through the real pages and services,
with a canary string in every free-text place."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.retention.models import ErasureRecord
from tests.applications.helpers import create_cohort
from tests.dp_support import csrf_token, onboard_with_staff, signed_in_client
from tests.privacy.real_applicants import (
    apply,
    canaries_found,
    cohort_figures,
    new_canaries,
    signed_in_applicant,
    texts_in_schema,
    through_training,
)


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "erase")


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust)


@pytest.fixture(scope="module")
def lead(app, trust):
    return signed_in_client(app, trust, "lead")


def trained_applicant(app, trust, cohort_id):
    c = new_canaries()
    application_id, reference = apply(app, trust, cohort_id, c)
    through_training(app, trust, application_id, c)
    return c, reference


def erase(client, trust, reference, **form):
    page = f"/trusts/{trust.slug}/coordinator/subject-access/{reference}/erase"
    response = client.post(page, data={"reason": "The applicant asked us to", "confirm": "yes",
                                       **form, "csrf_token": csrf_token(client, page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_subject_access_shows_everything_held_about_a_real_applicant_and_who_viewed_it(
        app, trust, cohort_id, lead):
    c, reference = trained_applicant(app, trust, cohort_id)
    page = f"/trusts/{trust.slug}/coordinator/subject-access/{reference}"
    html = lead.get(page).get_data(as_text=True)
    exported = lead.get(page + ".json")
    data = json.loads(exported.get_data(as_text=True))
    assert canaries_found([html], c) == set(c.free_text())
    assert canaries_found([exported.get_data(as_text=True)], c) == set(c.free_text())
    assert {"applications", "notes", "drop_ins", "interviews", "shortlisting", "training",
            "messages"} <= set(data["sections"])
    applications = data["sections"]["applications"]["applications"]
    assert [a["reference"] for a in applications] == [reference]
    assert {"question": "A question that is no longer asked", "answer": c.story} in \
        applications[0]["answers"]
    assert data["sections"]["messages"], "the messages sent to them are listed"
    actions = {e["action"] for e in data["audit_trail"]}
    assert {"application.note", "interview.record", "subject_access.viewed"} <= actions
    assert "Who has viewed or changed these records" in html and "application.note" in html


def test_erasure_leaves_no_canary_in_any_table_and_keeps_the_cohort_figures(
        app, trust, cohort_id, lead, owner_conn):
    c, reference = trained_applicant(app, trust, cohort_id)
    applicant = signed_in_applicant(app, trust, c)
    assert canaries_found(texts_in_schema(app, trust, owner_conn), c) == set(c.free_text())
    before = cohort_figures(app, trust, cohort_id)
    erase(lead, trust, reference)
    assert canaries_found(texts_in_schema(app, trust, owner_conn), c) == set()
    assert cohort_figures(app, trust, cohort_id) == before
    assert before["reached"]["completed"] >= 1
    home = applicant.get(f"/trusts/{trust.slug}/account/")
    assert home.status_code == 302 and "/sign-in" in home.headers["Location"]
    report = lead.get(f"/trusts/{trust.slug}/coordinator/subject-access/{reference}.json")
    erasure = json.loads(report.get_data(as_text=True))["sections"]["erasure"]
    assert len(erasure) == 1 and erasure[0]["counts"]["applications"]["applicants"] == 1


def test_a_kept_kind_of_data_survives_erasure_with_its_reason(app, trust, cohort_id, lead,
                                                             owner_conn):
    c, reference = trained_applicant(app, trust, cohort_id)
    erase(lead, trust, reference, keep="interviews",
          kept_reason="Held for an employment tribunal")
    assert canaries_found(texts_in_schema(app, trust, owner_conn), c) == {"adjust",
                                                                          "interview"}
    with tenant_context(trust, app):
        entry = db.session.scalars(select(ErasureRecord).where(
            ErasureRecord.subject_ref == reference)).one()
        assert entry.kept == "Held for an employment tribunal"
        assert entry.counts["interviews"] == {"kept": 1}
        assert entry.counts["notes"] == {"notes": 1}


def test_erasing_an_unknown_reference_erases_nothing_and_is_recorded(app, trust, lead):
    erase(lead, trust, "PSW-NONE-0000")
    with tenant_context(trust, app):
        entry = db.session.scalars(select(ErasureRecord).where(
            ErasureRecord.subject_ref == "PSW-NONE-0000")).one()
        assert "applications" in entry.counts
        assert all(counts == {} for counts in entry.counts.values())
