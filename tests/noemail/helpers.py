"""Steps of the no-e-mail journeys, taken through the coordinators' pages."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import or_, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.infosessions import service as infosessions
from tenants.interviews.service import DEFAULT_CRITERIA
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import post_form
from tests.workspace.helpers import stage_of
from tests.workspace.test_interviews import make_slots

ANSWERS = {"lived_experience.answer": "yes", "available_all_training_days.answer": "yes",
           "willing_to_share_experience.answer": "yes"}


def new_drop_in(app, tenant, *, days_ahead: int = 10) -> int:
    with tenant_context(tenant, app=app):
        saved = infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": dt.date.today() + dt.timedelta(days=days_ahead),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": "Recovery College",
            "online_url": None, "capacity": 10, "access_notes": None})
        db.session.commit()
        return saved.id


def book_drop_in(client, tenant, session_id: int, **person):
    """Book through the public page; returns the confirmation page's text."""
    url = f"/trusts/{tenant.slug}/drop-ins/{session_id}/book"
    response = post_form(client, url, person)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def entry_url(tenant, cohort_id: int) -> str:
    return f"/trusts/{tenant.slug}/coordinator/cohorts/{cohort_id}/applications/new"


def enter_eoi(client, tenant, cohort_id: int, **contact) -> int:
    """A coordinator enters an EOI with the given contact details; the application's id."""
    response = post_form(client, entry_url(tenant, cohort_id),
                         {**contact, "consent": "yes", **ANSWERS})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(re.search(r"/applications/(\d+)$", response.headers["Location"]).group(1))


def take_to_an_offer(app, client, tenant, cohort_id: int, application_id: int) -> None:
    """Shortlist, invite, book an interview for them, record it and offer a place, each
    through the page a coordinator uses."""
    cohort_base = f"/trusts/{tenant.slug}/coordinator/cohorts/{cohort_id}"
    listing = cohort_base + "/applications"
    for action, stage in (("shortlist", "shortlisted"), ("invite", "interview_invited")):
        response = post_form(client, listing, {"action": action, "ids": [application_id]})
        assert response.status_code == 200, response.get_data(as_text=True)[:3000]
        assert stage_of(app, tenant, application_id) == stage
    slot, = make_slots(app, tenant, cohort_id, count=1)
    booked = post_form(client, cohort_base + "/interviews/book",
                       {"application_id": application_id, "slot_id": slot},
                       form_page=cohort_base + "/interviews")
    assert booked.status_code == 302, booked.get_data(as_text=True)[:3000]
    scores = {f"score-{key}": "3" for key, _ in DEFAULT_CRITERIA}
    recorded = post_form(client, f"/trusts/{tenant.slug}/coordinator/interviews/"
                                 f"{application_id}", {**scores, "outcome": "recommend"})
    assert recorded.status_code == 302, recorded.get_data(as_text=True)[:3000]
    offered = post_form(client, cohort_base + "/places",
                        {"application_id": application_id, "action": "offer"})
    assert offered.status_code == 302, offered.get_data(as_text=True)[:3000]
    assert stage_of(app, tenant, application_id) == "place_offered"


def messages_for(app, tenant, application_id: int) -> list[OutboxMessage]:
    """Every outbox row about this application or its applicant, oldest first."""
    with tenant_context(tenant, app=app):
        applicant_id = db.session.get(Application, application_id).applicant_id
        rows = db.session.scalars(select(OutboxMessage).where(or_(
            (OutboxMessage.related_type == "application")
            & (OutboxMessage.related_id == str(application_id)),
            (OutboxMessage.related_type == "applicant")
            & (OutboxMessage.related_id == str(applicant_id))))
            .order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(rows)
