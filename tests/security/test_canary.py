"""A canary string put into the data the system holds never reaches logs, Redis or message
bodies. To cover new data, add a function to CANARY_INPUTS (it gets the app, the trust and
the canary, and stores the canary the way a user would); to cover a new place data could
leak to, add a function to MESSAGE_SINKS (it returns the texts to search)."""

from __future__ import annotations

import contextlib
import logging
import secrets
import zlib

import pytest
from rq import Worker
from sqlalchemy import select, text

from peerpath.extensions import db
from peerpath.queue import DEFAULT
from peerpath.tenancy import tenant_context
from tenants.audit.service import record
from tenants.coordinators.service import create_coordinator
from tenants.eligibility.defaults import leicestershire_questions_and_rules
from tenants.eligibility.service import save_version
from tenants.notifications.models import OutboxMessage
from tenants.retention import registry
from tests.applications.helpers import answer_all, create_cohort, start_application, submit
from tests.dp_support import (
    STAFF_PASSWORD,
    create_people_table,
    csrf_token,
    onboard_with_staff,
    signed_in_client,
)
from tests.test_coordinator_sign_in import LEAD_SECRET, sign_in


def in_a_coordinators_name(app, tenant, canary):
    with tenant_context(tenant, app=app):
        create_coordinator(db.session, email=f"{canary}@trust.example", display_name=canary,
                           role="lead", password=STAFF_PASSWORD, totp_secret=LEAD_SECRET)
        db.session.commit()
    client = app.test_client()
    sign_in(client, tenant, f"{canary}@trust.example", STAFF_PASSWORD)
    assert canary in client.get(f"/trusts/{tenant.slug}/coordinator/").get_data(as_text=True)


def in_a_failed_sign_in(app, tenant, canary):
    response = sign_in(app.test_client(), tenant, f"{canary}@nowhere.example", canary)
    assert response.status_code == 400


def in_an_audit_detail(app, tenant, canary):
    with tenant_context(tenant, app=app):
        record("test.note", "applicant", "A1", actor="test", detail={"note": canary})
        db.session.commit()
    signed_in_client(app, tenant, "lead").get(f"/trusts/{tenant.slug}/coordinator/audit")


def in_an_applicants_record_seen_by_subject_access_and_retention(app, tenant, canary):
    with tenant_context(tenant, app=app):
        db.session.execute(text("INSERT INTO people (ref, name, status, cohort_start) "
                                "VALUES ('A1', :n, 'withdrawn', '2000-01-01')"), {"n": canary})
        db.session.commit()
    client = signed_in_client(app, tenant, "lead")
    for suffix in ("", ".json"):
        page = client.get(f"/trusts/{tenant.slug}/coordinator/subject-access/A1{suffix}")
        assert canary in page.get_data(as_text=True)
    page = f"/trusts/{tenant.slug}/coordinator/retention"
    client.post(f"{page}/run", data={"csrf_token": csrf_token(client, page)})
    Worker([DEFAULT], connection=app.extensions["redis"]).work(burst=True)


def in_an_erasure_reason_and_the_privacy_notice(app, tenant, canary):
    client = signed_in_client(app, tenant, "lead")
    page = f"/trusts/{tenant.slug}/coordinator/subject-access/A1/erase"
    client.post(page, data={"reason": canary, "confirm": "yes",
                            "csrf_token": csrf_token(client, page)})
    page = f"/trusts/{tenant.slug}/coordinator/privacy-notice"
    client.post(page, data={"body": f"{canary} " * 20, "csrf_token": csrf_token(client, page)})


def in_an_applications_health_answers(app, tenant, canary):
    """The lived-experience narrative, typed by an applicant, whose submission queues the
    acknowledgement e-mail: the canary must stay in the (encrypted) answers only."""
    with tenant_context(tenant, app=app):
        questions, rules = leicestershire_questions_and_rules()
        save_version(db.session, questions, rules, publish=True)
        db.session.commit()
    cohort_id = create_cohort(app, tenant)
    client = app.test_client()
    start_application(client, tenant, cohort_id, email="canary.applicant@applicant.example")
    answers = {"lived_experience_routes": ["community_team"],
               "lived_experience_story": f"{canary} story",
               "understanding_of_peer_support": f"{canary} understanding",
               **{key: "yes" for key in ("available_all_training_days",
                                         "willing_to_share_experience",
                                         "committed_to_participate", "promoting_recovery",
                                         "want_to_work_at_lpt")}}
    answer_all(client, tenant, answers)
    assert submit(client, tenant).status_code == 302


def in_interview_adjustments_with_a_reminder_queued(app, tenant, canary):
    """Adjustments are for the panel: the confirmation and the 24-hour reminder leave them out."""
    import datetime as dt

    from tenants.applications.models import Application
    from tenants.interviews import service as interviews
    from tenants.interviews.models import InterviewSlot
    from tests.workspace.helpers import make_application

    cohort_id = create_cohort(app, tenant, name="Canary interviews")
    application_id = make_application(app, tenant, cohort_id, stage="interview_invited")
    starts = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with app.test_request_context(), tenant_context(tenant, app=app):
        slot = InterviewSlot(cohort_id=cohort_id, starts_at=starts, place="Room 1",
                             ends_at=starts + dt.timedelta(hours=1))
        db.session.add(slot)
        db.session.flush()
        interviews.book(db.session, db.session.get(Application, application_id), slot.id,
                        actor="test", adjustments=f"{canary} adjustments")
        db.session.commit()
        assert db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.template_key == "interview_reminder")) is not None


def outbox_bodies(app, tenant) -> list[str]:
    with tenant_context(tenant, app=app):
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert rows, "the acknowledgement must have been queued"
        return [part or "" for row in rows
                for part in (row.subject, row.body_text, row.body_html, row.sms_text)]


CANARY_INPUTS = [
    in_an_applications_health_answers,
    in_a_coordinators_name,
    in_a_failed_sign_in,
    in_an_audit_detail,
    in_an_applicants_record_seen_by_subject_access_and_retention,
    in_an_erasure_reason_and_the_privacy_notice,
    in_interview_adjustments_with_a_reminder_queued,
]

# Outgoing e-mail and SMS bodies, as rendered into the trust's outbox.
MESSAGE_SINKS: list = [outbox_bodies]


def redis_texts(connection) -> list[bytes]:
    texts = []
    for key in connection.scan_iter(count=1000):
        texts.append(key)
        kind = connection.type(key)
        if kind == b"string":
            values = [connection.get(key)]
        elif kind == b"hash":
            values = [v for pair in connection.hgetall(key).items() for v in pair]
        elif kind == b"list":
            values = connection.lrange(key, 0, -1)
        elif kind == b"set":
            values = list(connection.smembers(key))
        elif kind == b"zset":
            values = connection.zrange(key, 0, -1)
        elif kind == b"stream":
            values = [v for _id, fields in connection.xrange(key) for pair in fields.items()
                      for v in pair]
        else:
            values = []
        for value in values:
            texts.append(value)
            with contextlib.suppress(zlib.error, TypeError):  # RQ zlib-compresses job data
                texts.append(zlib.decompress(value))
    return texts


def people_provider(session, subject_ref):
    return [dict(r) for r in session.execute(
        text("SELECT name FROM people WHERE ref = :r"), {"r": subject_ref}).mappings()]


def anonymise_withdrawn(session, policy, today):
    cutoff = policy.cutoff("withdrawn_applications", today)
    return {"people": session.execute(text(
        "UPDATE people SET name = NULL WHERE status = 'withdrawn' AND cohort_start < :c"),
        {"c": cutoff}).rowcount}


@pytest.fixture
def trust(app, database_url, monkeypatch, redis_conn):
    monkeypatch.setitem(registry.SUBJECT_DATA, "people",
                        registry.SubjectData("people", people_provider))
    monkeypatch.setitem(registry.ANONYMISERS, "people", anonymise_withdrawn)
    monkeypatch.setitem(registry.ERASERS, "people", lambda s, ref, req: {})
    tenant = onboard_with_staff(app, "canary")
    create_people_table(database_url, tenant)
    return tenant


def test_a_canary_in_the_data_never_reaches_logs_redis_or_messages(app, trust, caplog,
                                                                   redis_conn):
    canary = "Canary" + secrets.token_hex(6)
    caplog.set_level(logging.DEBUG)
    for put in CANARY_INPUTS:
        put(app, trust, canary)
    assert caplog.records, "the logs must have been captured"
    for entry in caplog.records:
        assert canary not in entry.getMessage(), entry.name
        assert canary not in str(vars(entry)), entry.name
    assert redis_conn.keys("rq:job:*"), "a job must have gone through Redis"
    assert not redis_conn.llen("rq:queue:" + DEFAULT)
    for value in redis_texts(redis_conn):
        assert canary.encode() not in value
    for sink in MESSAGE_SINKS:
        for body in sink(app, trust):
            assert canary not in body
