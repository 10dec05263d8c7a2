"""Per-person permissions beside the roles: a lead sets them on the team page, and a page
and its API twin answer alike (make decisions, view sensitive disclosures)."""

from __future__ import annotations

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.coordinators.models import GRANTS, Coordinator
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application, make_coordinator, reason_id, sign_in, stage_of


def _coordinator_with_token(app, trust):
    client = app.test_client()
    coordinator_id, email, secret = make_coordinator(app, trust, "coordinator")
    sign_in(client, trust, email, secret)
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, coordinator_id, "twin", "write")
        db.session.commit()
    return client, coordinator_id, {"Authorization": f"Bearer {token}"}


def _grants_of(app, trust, coordinator_id):
    with tenant_context(trust, app):
        return list(db.session.get(Coordinator, coordinator_id).grants)


def _set_grants(client, trust, coordinator_id, grants):
    page = f"/trusts/{trust.slug}/coordinator/team/{coordinator_id}"
    return post_form(client, f"{page}/permissions", {"grants": list(grants)}, form_page=page)


def test_a_lead_sets_permissions_on_the_team_page_and_cannot_lock_themselves_out(app, trust,
                                                                                  lead):
    client, lead_id = lead
    member_id, _, _ = make_coordinator(app, trust, "coordinator")
    assert _grants_of(app, trust, member_id) == list(GRANTS)  # everyone starts with all
    page = text_of(client.get(f"/trusts/{trust.slug}/coordinator/team/{member_id}"))
    assert "Make decisions" in page and "View sensitive disclosures" in page
    assert _set_grants(client, trust, member_id, ["set_up_interviews"]).status_code == 302
    assert _grants_of(app, trust, member_id) == ["set_up_interviews"]
    refused = _set_grants(client, trust, lead_id, ["make_decisions"])
    assert refused.status_code == 400
    assert "cannot take away your own permission to manage" in refused.get_data(as_text=True)
    assert "manage_team" in _grants_of(app, trust, lead_id)


def test_without_make_decisions_neither_the_page_nor_the_api_decides(app, trust, lead):
    lead_client, _ = lead
    cohort = create_cohort(app, trust, name="Decisions intake")
    client, coordinator_id, headers = _coordinator_with_token(app, trust)
    _set_grants(lead_client, trust, coordinator_id,
                [g for g in GRANTS if g != "make_decisions"])
    application = make_application(app, trust, cohort)
    chosen = reason_id(app, trust, "not_shortlisted", "criteria")
    page = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{application}"
    shown = client.get(page)
    assert shown.status_code == 200 and "Move to another stage" not in text_of(shown)
    form = {"to": "not_shortlisted", "send_message": "no", "reason_id": chosen}
    assert post_form(client, f"{page}/move", form, form_page=page).status_code == 403
    api = f"/api/v1/trusts/{trust.slug}/applications/{application}/transitions"
    body = {"to": "not_shortlisted", "send_message": False, "reason_id": chosen}
    assert app.test_client().post(api, json=body, headers=headers).status_code == 403
    assert stage_of(app, trust, application) == "eligibility_checked"

    _set_grants(lead_client, trust, coordinator_id, GRANTS)
    assert app.test_client().post(api, json=body, headers=headers).status_code == 200
    assert stage_of(app, trust, application) == "not_shortlisted"


def test_without_view_sensitive_the_answers_are_hidden_on_the_page_and_in_the_api(app, trust,
                                                                                 lead):
    lead_client, _ = lead
    cohort = create_cohort(app, trust, name="Sensitive intake")
    client, coordinator_id, headers = _coordinator_with_token(app, trust)
    application = make_application(app, trust, cohort)
    page = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{application}"
    detail = f"/api/v1/trusts/{trust.slug}/applications/{application}"
    assert 'id="answers"' in client.get(page).get_data(as_text=True)
    assert app.test_client().get(detail, headers=headers).get_json()["answers"] == {
        "lived_experience": True}
    assert app.test_client().get(f"{detail}/answers", headers=headers).status_code == 200

    _set_grants(lead_client, trust, coordinator_id, [g for g in GRANTS if g != "view_sensitive"])
    hidden = client.get(page).get_data(as_text=True)
    assert 'id="answers"' not in hidden and "A lead can give you permission" in hidden
    assert app.test_client().get(detail, headers=headers).get_json()["answers"] == {}
    assert app.test_client().get(f"{detail}/answers", headers=headers).status_code == 403
