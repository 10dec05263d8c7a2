"""The demo trusts' made-up applications: a plausible spread of where people heard, reasons
at every stage and placements, shown by the reports; made once."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application, ApplicationEvent
from tenants.posts.models import Candidacy
from tenants.public import demo, demo_applicants
from tests.applications.helpers import onboard_trust
from tests.posts.helpers import table_rows
from tests.workspace.helpers import signed_in_client

TODAY = dt.date.today()


def _demo(app, slug: str):
    """A fresh trust seeded as `slug`'s demo, with its applications (seeded twice)."""
    tenant = onboard_trust(app, "demoapps", f"Demo applications {slug}")
    seeded_as = tenant.__class__(**{**tenant.__dict__, "slug": slug})
    with tenant_context(tenant, app):
        demo.seed_configuration(db.session, seeded_as, today=TODAY)
        for _ in range(2):
            demo_applicants.seed_applications(db.session, seeded_as, TODAY)
            db.session.commit()
    return tenant


def test_leicestershire_demo_has_a_plausible_spread_that_the_reports_show(app):
    tenant = _demo(app, "leicestershire")
    with tenant_context(tenant, app):
        applications = list(db.session.scalars(select(Application)))
        assert len(applications) == 36 + 6  # the June cohort and today's; made once
        heard = Counter(a.heard_via for a in applications)
        assert heard.most_common(1)[0][0] in ("drop_in", "care_team")
        assert len(heard) >= 8 and heard[None] >= 1
        stages = Counter(a.stage for a in applications)
        assert {"not_eligible", "not_shortlisted", "not_successful", "withdrawn",
                "outcome_recorded"} <= set(stages)
        reasons = db.session.scalars(select(ApplicationEvent.to_stage).where(
            ApplicationEvent.reason_id.is_not(None))).all()
        assert Counter(reasons) == {"not_eligible": 4, "not_shortlisted": 11,
                                    "not_successful": 6, "withdrawn": 3}
        assert len(db.session.scalars(select(Candidacy)).all()) == 4
        events = db.session.scalars(select(ApplicationEvent.at)).all()
        assert max(events) <= dt.datetime.now(dt.UTC)
    client, _ = signed_in_client(app, tenant, "lead")
    page = client.get(f"/trusts/{tenant.slug}/coordinator/reports/")
    assert page.status_code == 200
    rows = {row[0]: row for row in table_rows(page, "heard")}
    assert "Drop-in session" in rows and "Not answered" in rows
    assert sum(int(r[1]) for r in rows.values()) == 42
    reasons = table_rows(page, "reasons")
    assert {r[0] for r in reasons} == {"Not eligible", "Not shortlisted",
                                       "Not successful at interview", "Withdrawal"}
    placed = {r[0]: r for r in table_rows(page, "cohorts")}
    june = next(name for name in placed if name.startswith("June"))
    assert placed[june][6] == "4 of 12 (33%)"
    # A made-up application opens like any other, and its cohort's equality page too.
    with tenant_context(tenant, app):
        one = db.session.scalars(select(Application).where(
            Application.stage == "outcome_recorded").limit(1)).one()
    base = f"/trusts/{tenant.slug}/coordinator/cohorts/{one.cohort_id}"
    page = client.get(f"{base}/applications/{one.id}")
    assert page.status_code == 200 and "Where they heard about the training" in \
        page.get_data(as_text=True)
    assert client.get(f"{base}/equality").status_code == 200


def test_norfolk_and_suffolk_demo_seeds_its_earlier_cohort_without_failing(app):
    tenant = _demo(app, "norfolk-suffolk")
    with tenant_context(tenant, app):
        assert len(db.session.scalars(select(Application)).all()) == 36


def test_a_trust_that_is_not_a_demo_gets_no_made_up_applications(app):
    tenant = onboard_trust(app, "notdemo", "Not a demo")
    with tenant_context(tenant, app):
        demo_applicants.seed_applications(db.session, tenant, TODAY)
        assert db.session.scalars(select(Application)).first() is None
