"""Keyword factories for the workspace tests: applications made straight in the database at
any stage, coordinators who sign in with two-factor, and a statement counter."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets

import pyotp
from accounts.helpers import post_form
from sqlalchemy import event, select

from peerpath import twofactor
from peerpath.auth import hash_password
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application, ApplicationEvent
from tenants.applications.pipeline import STAGES
from tenants.coordinators.service import create_coordinator

PASSWORD = "correct horse battery staple"
PASSWORD_HASH = hash_password(PASSWORD)


def make_application(app, tenant, cohort_id: int, *, stage: str = "eligibility_checked",
                     name: str | None = None, email: str | None = None,
                     phone: str | None = None, disability_confident: bool = False,
                     eligibility: str = "eligible",
                     history: tuple[str, ...] | None = None) -> int:
    """An application at `stage`, with a history event for every main-line stage before it
    (or the stages in `history`)."""
    token = secrets.token_hex(4)
    with tenant_context(tenant, app):
        applicant = Applicant(email=email or f"applicant-{token}@applicant.example",
                              name=name or f"Applicant {token}", phone=phone,
                              communication_needs={"easy_read": True})
        db.session.add(applicant)
        db.session.flush()
        application = Application(
            applicant_id=applicant.id, cohort_id=cohort_id, reference=f"PSW-{token.upper()}",
            stage=stage, answers={"lived_experience": True}, eligibility_outcome=eligibility,
            eligibility_results=[{"key": "lived_experience", "outcome": "pass",
                                  "reason": "Has lived experience"}],
            disability_confident=disability_confident,
            submitted_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
        db.session.add(application)
        db.session.flush()
        steps = history if history is not None else \
            STAGES[:STAGES.index(stage) + 1] if stage in STAGES else ("eoi_submitted", stage)
        previous = None
        for to_stage in steps:
            db.session.add(ApplicationEvent(application_id=application.id, actor="test",
                                            from_stage=previous, to_stage=to_stage))
            previous = to_stage
        db.session.commit()
        return application.id


def make_coordinator(app, tenant, role: str = "lead") -> tuple[int, str, str]:
    email = f"{role}-{secrets.token_hex(4)}@trust.example"
    secret = twofactor.new_secret()
    with tenant_context(tenant, app):
        coordinator = create_coordinator(db.session, email=email, display_name=role.title(),
                                         role=role, totp_secret=secret)
        coordinator.password_hash = PASSWORD_HASH
        db.session.commit()
        return coordinator.id, email, secret


def sign_in(client, tenant, email: str, secret: str) -> None:
    """Password then a TOTP code; forgets the last used step (tests sign in often)."""
    base = f"/trusts/{tenant.slug}/coordinator/sign-in"
    response = post_form(client, base, {"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    redis = client.application.extensions["redis"]
    for key in redis.scan_iter(f"peerpath:totp-step:trust:{tenant.slug}:*"):
        redis.delete(key)
    response = post_form(client, base + "/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def signed_in_client(app, tenant, role: str = "lead"):
    client = app.test_client()
    coordinator_id, email, secret = make_coordinator(app, tenant, role)
    sign_in(client, tenant, email, secret)
    return client, coordinator_id


@contextlib.contextmanager
def count_statements(app):
    """Count the SQL statements the app runs inside the block: yields a list to read."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def stage_of(app, tenant, application_id: int) -> str:
    with tenant_context(tenant, app):
        return db.session.get(Application, application_id).stage


def reason_id(app, tenant, kind: str, key: str) -> int:
    """The id of the trust's current reason `key` for decisions of `kind` (seeded defaults)."""
    from tenants.reasons.models import DecisionReason

    with tenant_context(tenant, app):
        return db.session.scalars(select(DecisionReason.id).where(
            DecisionReason.kind == kind, DecisionReason.key == key,
            DecisionReason.retired_at.is_(None))).one()
