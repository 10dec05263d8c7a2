"""An EOI that arrives after a cohort's shortlist is final can still be reviewed: a lead
reopens the shortlist with a reason (audited), the late applications are reviewed and
decided, and the decisions already made stand. No button is shown that would always fail."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, signed_in_client, stage_of


def test_a_late_application_is_reviewed_after_a_lead_reopens_the_shortlist(app, trust, lead):
    lead_client, _ = lead
    panel_client, _ = signed_in_client(app, trust, "panel")
    cohort = create_cohort(app, trust, name="Late intake")
    on_time = make_application(app, trust, cohort)
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/shortlisting"
    # Made final while applications are still open: a lead's early decision, with a reason.
    assert post_form(lead_client, base + "/finalise", {f"decision-{on_time}": "shortlist",
                                                       "early_reason": "Panel meets today"},
                     form_page=base).status_code == 302
    late = make_application(app, trust, cohort)  # an EOI entered after the meeting

    overview = lead_client.get(base).get_data(as_text=True)
    assert "1 application arrived after the shortlist was made final" in overview
    assert "Make the shortlist final" not in overview, "it would only be refused"
    assert "Reopen the shortlist" in overview
    review = panel_client.get(f"{base}/{late}").get_data(as_text=True)
    assert "Save my recommendation" not in review and "A lead can reopen" in review
    assert "Reopen the shortlist" not in panel_client.get(base).get_data(as_text=True)

    blank = post_form(lead_client, base + "/reopen", {"reason": " "}, form_page=base)
    assert blank.status_code == 400
    assert "Give the reason for reopening the shortlist" in blank.get_data(as_text=True)
    reopened = post_form(lead_client, base + "/reopen",
                         {"reason": "A paper EOI posted before the closing date"},
                         form_page=base)
    assert reopened.status_code == 302
    with tenant_context(trust, app):
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "shortlist.reopen",
            AuditEvent.record_id == str(cohort))).one()
        assert event.detail["reason"] == "A paper EOI posted before the closing date"
        assert event.detail["waiting"] == 1

    recommended = post_form(panel_client, f"{base}/{late}", {"recommendation": "reserve"})
    assert recommended.status_code == 302
    assert post_form(lead_client, base + "/finalise", {f"decision-{late}": "reserve",
                                                       "early_reason": "Panel meets today"},
                     form_page=base).status_code == 302
    assert stage_of(app, trust, late) == "waiting_list"
    assert stage_of(app, trust, on_time) == "shortlisted", "the earlier decision stands"
    assert "arrived after the shortlist" not in lead_client.get(base).get_data(as_text=True)
