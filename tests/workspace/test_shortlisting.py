"""Shortlisting: reviewers see no names or contact details, each records a recommendation,
the lead sees them side by side and finalises; the reserve list hears only when all places
are filled."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.notifications.models import OutboxMessage
from tenants.training import service as training
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, signed_in_client, stage_of


def test_reviewers_see_no_identity_and_the_lead_finalises_side_by_side(app, trust, lead):
    lead_client, _ = lead
    panel_client, _ = signed_in_client(app, trust, "panel")
    # Applications closed yesterday: shortlisting is open (tests/workspace/test_calendar_gates
    # covers finalising before then).
    cohort = create_cohort(app, trust, name="Shortlisting intake", opens=-30, closes=-1)
    ids = [make_application(app, trust, cohort, name=f"Hidden Person{n}",
                            email=f"hidden{n}@applicant.example") for n in range(3)]
    dc = make_application(app, trust, cohort, name="Hidden Dc", disability_confident=True)
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/shortlisting"
    page = panel_client.get(f"{base}/{ids[0]}").get_data(as_text=True)
    assert "Hidden Person" not in page and "@applicant.example" not in page
    assert "Do you have lived experience of mental health challenges?" in page
    for client, choice in ((panel_client, ["shortlist", "reserve", "not_shortlisted"]),
                           (lead_client, ["shortlist", "reserve", "reserve"])):
        for application, recommendation in zip(ids, choice, strict=True):
            response = post_form(client, f"{base}/{application}",
                                 {"recommendation": recommendation, "note": "Clear examples"})
            assert response.status_code == 302
    overview = lead_client.get(base).get_data(as_text=True)
    assert "Hidden Person" not in overview
    assert overview.count("<strong>Reserve</strong>") == 3
    assert overview.count("Disability Confident</strong>") == 1  # flagged, not named
    decisions = {f"decision-{ids[0]}": "shortlist", f"decision-{ids[1]}": "reserve",
                 f"decision-{ids[2]}": "not_shortlisted"}
    undecided = post_form(lead_client, base + "/finalise", decisions, form_page=base)
    assert undecided.status_code == 400 and "Decide on every application" in \
        undecided.get_data(as_text=True)
    dc_without_reason = post_form(lead_client, base + "/finalise",
                                  {**decisions, f"decision-{dc}": "not_shortlisted"},
                                  form_page=base)
    assert "Disability Confident" in dc_without_reason.get_data(as_text=True)
    assert stage_of(app, trust, ids[0]) == "eligibility_checked"
    done = post_form(lead_client, base + "/finalise",
                     {**decisions, f"decision-{dc}": "not_shortlisted",
                      f"reason-{dc}": "No examples of the essential criteria"}, form_page=base)
    assert done.status_code == 302
    assert [stage_of(app, trust, a) for a in (*ids, dc)] == [
        "shortlisted", "waiting_list", "not_shortlisted", "not_shortlisted"]
    assert panel_client.get(f"{base}/{ids[0]}").status_code == 404  # no longer under review


def test_the_reserve_list_hears_only_when_every_place_is_filled(app, trust):
    cohort = create_cohort(app, trust, name="Reserve intake", capacity=2)
    reserve = make_application(app, trust, cohort, stage="waiting_list",
                               history=("eoi_submitted", "eligibility_checked", "waiting_list"))
    first = make_application(app, trust, cohort, stage="place_offered")
    second = make_application(app, trust, cohort, stage="place_offered")
    with app.test_request_context(), tenant_context(trust, app):
        training.accept(db.session, db.session.get(Application, first), actor="test")
        db.session.commit()
    assert stage_of(app, trust, reserve) == "waiting_list"
    with app.test_request_context(), tenant_context(trust, app):
        training.accept(db.session, db.session.get(Application, second), actor="test")
        db.session.commit()
        told = db.session.scalars(select(OutboxMessage.template_key).where(
            OutboxMessage.related_id == str(reserve))).all()
    assert stage_of(app, trust, reserve) == "not_successful"
    assert told == ["outcome_not_successful"]
