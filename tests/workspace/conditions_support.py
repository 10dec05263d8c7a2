"""Shared by the conditions and deferral tests: places made through the product's own
services, a cohort whose training days have happened, links followed from page to page."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.conditions import service as conditions
from tenants.notifications.models import OutboxMessage
from tenants.training import service as training
from tests.applications.helpers import create_cohort, sign_in_link
from tests.workspace.helpers import make_application


def act(app, trust, fn):
    with app.test_request_context(), tenant_context(trust, app):
        result = fn(db.session)
        db.session.commit()
        return result


def on_application(app, trust, application_id, fn):
    return act(app, trust, lambda s: fn(s, s.get(Application, application_id)))


def trained_cohort(app, trust, name="Conditions intake", capacity=4, days=3):
    """Weekly training days that have all happened (the last one a week ago), so training
    may start, registers be kept and completion recorded today."""
    cohort = create_cohort(app, trust, name=name, capacity=capacity, opens=-100,
                           closes=-80, starts=-7 * days)
    with tenant_context(trust, app):
        row = db.session.get(Cohort, cohort)
        for n in range(days):
            db.session.add(TrainingDay(cohort_id=cohort, on_date=row.starts_on +
                                       dt.timedelta(days=7 * n), starts_at=dt.time(10),
                                       ends_at=dt.time(15), place="Training room"))
        db.session.commit()
    return cohort


def accepted_place(app, trust, cohort_id, **kwargs) -> int:
    """Interviewed, offered a place and accepted it, through the training service."""
    application = make_application(app, trust, cohort_id, stage="interviewed", **kwargs)
    on_application(app, trust, application,
                   lambda s, a: training.offer_place(s, a, actor="coordinator:test"))
    on_application(app, trust, application,
                   lambda s, a: training.accept(s, a, actor="coordinator:test"))
    return application


def meet_every_condition(app, trust, application_id):
    act(app, trust, lambda s: [conditions.record_status(s, row, "met", actor="test")
                               for row in conditions.of_place(s, application_id)])


def statuses(app, trust, application_id) -> dict[str, str]:
    with tenant_context(trust, app):
        return {row.condition.label: row.status
                for row in conditions.of_place(db.session, application_id)}


def outbox(app, trust, template, **where) -> list[OutboxMessage]:
    with tenant_context(trust, app):
        query = select(OutboxMessage).where(OutboxMessage.template_key == template)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def follow(client, page, text: str):
    """Follow the link whose visible text starts with `text`."""
    html = page.get_data(as_text=True)
    found = re.search(r'<a [^>]*href="([^"]+)"[^>]*>\s*' + re.escape(text), html)
    assert found, f"no link {text!r} on {page.request.path}"
    target = client.get(found.group(1).replace("&amp;", "&"))
    assert target.status_code == 200, (found.group(1), target.status_code)
    return target


def applicant_signs_in(app, trust, client, email):
    from tests.applications.helpers import use_sign_in_link

    landed = use_sign_in_link(client, trust, sign_in_link(app, trust, email))
    assert landed.status_code == 302
    return client.get(f"/trusts/{trust.slug}/account/")
