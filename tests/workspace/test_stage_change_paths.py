"""Every path that moves an application (the application page, the bulk action, the API and a
direct service call, as a job or the CLI would make it) goes through the one transition: the
same event, the same message and the same audit rows, exactly once each, and no message
when the coordinator says not to. (No worker job moves applications today; a job would call
the same service function as the "service" row below.)"""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications import events
from tenants.applications.deadlines import REMINDER, REPLY_STAGES
from tenants.applications.models import Application, ApplicationEvent
from tenants.applications.service import transition
from tenants.audit.models import AuditEvent
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, make_coordinator, reason_id, stage_of

# (stage before, stage after, the structured reason chosen (kind is the stage after), the
# bulk action, the message it sends)
MOVES = {
    "turn down": ("eligibility_checked", "not_shortlisted", "places", "reject",
                  "outcome_not_shortlisted"),
    "invite": ("shortlisted", "interview_invited", None, "invite", "interview_invitation"),
}
PATHS = ("page", "bulk", "api", "service")
REASON_WORDS = "More applicants meeting the criteria than interview places"


@pytest.fixture(scope="module")
def token(app, trust):
    coordinator_id, _, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, write = issue(db.session, trust, coordinator_id, "paths", "write")
        db.session.commit()
    return write


@pytest.fixture(scope="module")
def cohort(app, trust):
    return create_cohort(app, trust, name="Paths intake", capacity=5)


@contextlib.contextmanager
def published():
    seen: list[tuple[int, str, str]] = []

    def note(change):
        seen.append((change.application.id, change.from_stage, change.to_stage))

    events.stage_changed.connect(note)
    try:
        yield seen
    finally:
        events.stage_changed.disconnect(note)


def _move(path, *, app, trust, lead, token, cohort, application, target, reason, action,
          send):
    client, _ = lead
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}"
    chosen = reason_id(app, trust, target, reason) if reason else None
    if path == "page":
        page = f"{base}/applications/{application}"
        form = {"to": target, "send_message": "yes" if send else "no"}
        if reason:
            form["reason_id"] = chosen
        response = post_form(client, page + "/move", form, form_page=page)
        assert response.status_code == 302, response.get_data(as_text=True)[:800]
    elif path == "bulk":
        form = {"action": action, "ids": [application], "send_message": "yes" if send else "no"}
        if reason:
            form["reason_id"] = chosen
        response = post_form(client, f"{base}/applications", form,
                             form_page=f"{base}/applications?")
        assert response.status_code in (200, 302), response.get_data(as_text=True)[:800]
    elif path == "api":
        body = {"to": target, "send_message": send}
        if reason:
            body["reason_id"] = chosen
        response = app.test_client().post(
            f"/api/v1/trusts/{trust.slug}/applications/{application}/transitions", json=body,
            headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
    else:
        with tenant_context(trust, app), app.test_request_context(
                base_url=f"http://localhost/trusts/{trust.slug}/"):
            transition(db.session, db.session.get(Application, application), target,
                       actor="job:test", notify=send, reason_id=chosen)
            db.session.commit()


def _what_happened(app, trust, application):
    with tenant_context(trust, app):
        moves = db.session.scalar(select(func.count()).select_from(ApplicationEvent).where(
            ApplicationEvent.application_id == application,
            ApplicationEvent.actor != "test"))
        last = db.session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id == application).order_by(
            ApplicationEvent.id.desc()).limit(1)).one()
        sent = db.session.scalars(select(OutboxMessage.template_key).where(
            OutboxMessage.related_type == "application",
            OutboxMessage.related_id == str(application)).order_by(OutboxMessage.id)).all()
        audit = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_id == str(application),
            AuditEvent.action == "application.transition")).all()
        applicant = db.session.get(Application, application).applicant_id
        queued = db.session.scalars(select(AuditEvent.detail["template"].astext).where(
            AuditEvent.action == "message.queued", AuditEvent.record_type == "applicant",
            AuditEvent.record_id == str(applicant))).all()
    return moves, sent, audit, queued, (last.reason_id, last.reason)


@pytest.mark.parametrize("send", [True, False], ids=["told", "not told"])
@pytest.mark.parametrize("move", sorted(MOVES))
@pytest.mark.parametrize("path", PATHS)
def test_every_path_makes_the_same_move_with_the_same_event_message_and_audit_once(
        app, trust, lead, token, cohort, path, move, send):
    before, target, reason, action, message = MOVES[move]
    application = make_application(app, trust, cohort, stage=before)
    with published() as seen:
        _move(path, app=app, trust=trust, lead=lead, token=token, cohort=cohort,
              application=application, target=target, reason=reason, action=action,
              send=send)
    assert stage_of(app, trust, application) == target
    assert [s for s in seen if s[0] == application] == [(application, before, target)]
    moves, sent, audit, queued, recorded = _what_happened(app, trust, application)
    assert moves == 1
    if reason:  # the same structured reason, in the same words, whichever path chose it
        assert recorded == (reason_id(app, trust, target, reason), REASON_WORDS)
    assert audit == ["application.transition"]
    # An invitation or an offer also queues its reply-by reminder (tenants.applications
    # .deadlines), once, on every path.
    reminder = [REMINDER] if target in REPLY_STAGES else []
    assert sorted(sent) == sorted([message, *reminder] if send else [])  # once each
    assert sorted(queued) == sorted(sent)
