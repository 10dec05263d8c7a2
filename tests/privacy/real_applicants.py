"""Real applicants for the data protection tests: made through the applicant's pages and the
domains' services, with a distinct canary string in every free-text place, plus a scan of
every table of a trust's schema (encrypted columns decrypted) for those canaries."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from psycopg import sql
from sqlalchemy import select

from peerpath.crypto import EncryptedText
from peerpath.extensions import db
from peerpath.models import TenantBase
from peerpath.tenancy import tenant_context
from tenants.applications import service as applications
from tenants.applications.models import Application
from tenants.applications.sensitive import SensitiveJSON
from tenants.conditions import service as conditions
from tenants.coordinators.models import Coordinator
from tenants.infosessions import service as dropins
from tenants.infosessions.models import InfoSession
from tenants.interviews import service as interviews
from tenants.shortlisting import service as shortlisting
from tenants.training import service as training
from tenants.workspace import queries
from tenants.workspace import service as workspace
from tests.applications.helpers import (
    TODAY,
    answer_all,
    post_form,
    sign_in_link,
    submit,
    use_sign_in_link,
)

ACTOR = "trust:test:1"


@dataclass
class Canaries:
    tag: str

    def __getattr__(self, place: str) -> str:
        if place.startswith("_"):
            raise AttributeError(place)
        return f"Zq{place}{self.tag}"

    @property
    def email(self) -> str:
        return f"zqemail{self.tag}@applicant.example"

    @property
    def phone(self) -> str:
        return f"07700 9{int(self.tag, 16) % 100000:05d}"

    def free_text(self) -> dict[str, str]:
        return {place: getattr(self, place) for place in (
            "name", "email", "phone", "story", "needs", "note", "review", "access",
            "adjust", "interview", "outcome", "reason")}


def new_canaries() -> Canaries:
    return Canaries(secrets.token_hex(5))


def apply(app, tenant, cohort_id: int, c: Canaries):
    """Sends an EOI through the applicant's pages; returns (application id, reference)."""
    client = app.test_client()
    base = f"/trusts/{tenant.slug}/apply"
    response = post_form(client, f"{base}/{cohort_id}/your-details",
                         {"name": f"{c.name} Person", "email": c.email, "phone": c.phone})
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    answer_all(client, tenant)
    post_form(client, f"{base}/step/communication-needs",
              {"easy_read": "yes", "preferred_channel": "email", "texts_ok": "no",
               "other": c.needs})
    with tenant_context(tenant, app):
        application = db.session.scalars(select(Application).where(
            Application.cohort_id == cohort_id).order_by(Application.id.desc())).first()
        applications.save_answers(db.session, application, {"story": c.story}, step=None,
                                  actor=ACTOR)
        db.session.commit()
        found = application.id, application.reference
    assert submit(client, tenant).status_code == 302
    return found


def signed_in_applicant(app, trust, c: Canaries):
    """A browser signed in as the applicant through a magic link."""
    client = app.test_client()
    token = sign_in_link(app, trust, c.email)
    use_sign_in_link(client, trust, token)
    assert client.get(f"/trusts/{trust.slug}/account/").status_code == 200
    return client


def _application(application_id: int) -> Application:
    return db.session.get(Application, application_id)


def book_a_drop_in(c: Canaries) -> None:
    info_session = InfoSession(title="Drop-in", on_date=TODAY + dt.timedelta(days=3),
                               starts_at=dt.time(10), ends_at=dt.time(11), place="Room 2")
    db.session.add(info_session)
    db.session.flush()
    dropins.book(db.session, info_session.id,
                 {"name": f"{c.name} Person", "email": c.email, "access_needs": c.access},
                 TODAY)


def through_training(app, tenant, application_id: int, c: Canaries) -> None:
    """Drop-in, note, review, interview, place, training, outcome: each with its canary."""
    with app.test_request_context(), tenant_context(tenant, app):
        session = db.session
        book_a_drop_in(c)
        application = _application(application_id)
        cohort = training.lock_cohort(session, application.cohort_id)
        workspace.add_note(session, application, c.note, actor=ACTOR)
        reviewer = session.scalars(select(Coordinator.id)).first()
        shortlisting.record_review(session, application, reviewer_id=reviewer,
                                   recommendation="shortlist", note=c.review, actor=ACTOR)
        applications.transition(session, application, "shortlisted", actor=ACTOR,
                                reason=c.reason)
        applications.transition(session, application, "interview_invited", actor=ACTOR)
        slot = interviews.create_slots(
            session, cohort, days=[TODAY + dt.timedelta(days=5)], start=dt.time(10),
            end=dt.time(11), length_minutes=60, place="Room 1", panel_ids=[], actor=ACTOR,
            confirm_outside_week=True)[0]  # a day outside interview week: the coordinator confirms
        interviews.book(session, application, slot.id, actor=ACTOR, adjustments=c.adjust)
        interviews.record_interview(
            session, application, notes=c.interview, outcome="recommend", actor=ACTOR,
            scores={k.key: 3 for k in interviews.criteria(session)})
        training.offer_place(session, application, actor=ACTOR)
        training.accept(session, application, actor=ACTOR)
        for condition in conditions.of_place(session, application.id):
            conditions.record_status(session, condition, "met", actor=ACTOR)
        applications.transition(session, application, "in_training", actor=ACTOR)
        applications.transition(session, application, "completed", actor=ACTOR)
        training.record_outcome(session, application, kind="paid_psw_post", detail=c.outcome,
                                actor=ACTOR)
        session.commit()


def turn_down(app, tenant, application_id: int, c: Canaries) -> None:
    """A note, then "not shortlisted" with a reason: an unsuccessful application."""
    with app.test_request_context(), tenant_context(tenant, app):
        application = _application(application_id)
        workspace.add_note(db.session, application, c.note, actor=ACTOR)
        applications.transition(db.session, application, "not_shortlisted", actor=ACTOR,
                                reason=c.reason)
        db.session.commit()


def cohort_figures(app, tenant, cohort_id: int) -> dict:
    with tenant_context(tenant, app):
        return {"now": queries.stage_counts(db.session, cohort_id),
                "reached": queries.reached_counts(db.session, cohort_id)}


def texts_in_schema(app, tenant, owner_conn) -> list[str]:
    """Every row of every table in the trust's schema as JSON (as the owner sees it), and
    every encrypted column decrypted (as the trust sees it)."""
    tables = [name for (name,) in owner_conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
        (tenant.schema,))]
    assert "applicants" in tables and "notification_outbox" in tables
    texts = []
    for table in tables:
        texts += [row for (row,) in owner_conn.execute(sql.SQL(
            "SELECT row_to_json(t)::text FROM {}.{} t").format(
            sql.Identifier(tenant.schema), sql.Identifier(table)))]
    with tenant_context(tenant, app):
        for table in TenantBase.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, EncryptedText | SensitiveJSON):
                    texts += [str(v) for v in db.session.scalars(select(column)) if v]
    return texts


def canaries_found(texts: list[str], c: Canaries) -> set[str]:
    return {place for place, canary in c.free_text().items()
            if any(canary.lower() in t.lower() for t in texts)}
