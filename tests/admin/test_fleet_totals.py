"""Platform admins see fleet-wide counts (trusts, cohorts, applications, completions,
placements) and never a person; the counts cost the same statements however many trusts."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from peerpath.admin import service
from peerpath.admin.stats import fleet_totals
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.posts.models import Candidacy, Post, Team
from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import make_application


def _totals(admin_client) -> dict[str, int]:
    body = admin_client.get("/admin/trusts").get_data(as_text=True)
    block = body.split('id="fleet-totals"')[1].split("</dl>")[0]
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<d[td][^>]*>(.*?)</d[td]>", block, re.S)]
    return {label: int(value) for label, value in zip(cells[::2], cells[1::2], strict=True)}


def test_the_console_adds_up_the_fleet_without_showing_anyone(app, admin_client):
    before = _totals(admin_client)
    trust = onboard_trust(app, "fleet", "Fleet Totals NHS Trust")
    cohort = create_cohort(app, trust, name="Fleet cohort")
    completed = [make_application(app, trust, cohort, stage="completed",
                                  name="Visible Nobody") for _ in range(3)]
    make_application(app, trust, cohort, stage="eoi_submitted")
    with tenant_context(trust, app):
        team = Team(name="Fleet CMHT")
        db.session.add(team)
        db.session.flush()
        post = Post(team_id=team.id, title="PSW", status="filled")
        db.session.add(post)
        db.session.flush()
        db.session.add(Candidacy(post_id=post.id, application_id=completed[0],
                                 status="placed", recorded_by="test"))
        db.session.commit()
        assert db.session.scalar(select(Candidacy.id)) is not None
    after = _totals(admin_client)
    assert {label: after[label] - before.get(label, 0) for label in after} == {
        "Trusts": 1, "Cohorts": 1, "Applications sent": 4,
        "People who completed the training": 3, "People placed in a post": 1}
    assert "Visible Nobody" not in admin_client.get("/admin/trusts").get_data(as_text=True)


def _statements_for_totals(app) -> int:
    seen: list[str] = []
    with app.app_context(), service._owner_connection() as conn:
        event.listen(conn, "before_cursor_execute", lambda *args, **kw: seen.append(args[2]))
        fleet_totals(conn)
    return len(seen)


def test_the_fleet_totals_take_two_statements_however_many_trusts(app):
    first = _statements_for_totals(app)
    onboard_trust(app, "fleet", "Another Fleet NHS Trust")
    assert _statements_for_totals(app) == first == 2
