"""The application page: answers, eligibility per rule, override with a reason, notes,
history, communication needs, messages; audited; panel members and other trusts see nothing."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.audit.models import AuditEvent
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application, reason_id, signed_in_client, stage_of


def _page(trust, cohort, application):
    return f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/{application}"


def test_the_page_shows_answers_rule_results_needs_and_history_and_is_audited(app, trust,
                                                                              lead, cohort_id):
    client, coordinator_id = lead
    application = make_application(app, trust, cohort_id, name="Pat Page")
    response = client.get(_page(trust, cohort_id, application))
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    for expected in ("Pat Page", "Do you have lived experience of mental health challenges?",
                     "Has lived experience", "Easy read", "Eligibility checked"):
        assert expected in text
    answers = text[text.index('id="answers"'):text.index('id="eligibility"')]
    assert ">Yes<" in answers and "True" not in answers and "Lived experience" not in answers
    with tenant_context(trust, app):
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "application.view", AuditEvent.record_id == str(application),
            AuditEvent.actor.contains(str(coordinator_id)))) is not None


def test_an_eligibility_override_needs_a_reason_and_moves_the_application_on(app, trust, lead,
                                                                             cohort_id):
    client, _ = lead
    application = make_application(app, trust, cohort_id, stage="not_eligible",
                                   eligibility="not_eligible",
                                   history=("eoi_submitted", "not_eligible"))
    url = _page(trust, cohort_id, application)
    refused = post_form(client, url + "/eligibility", {"outcome": "eligible", "reason": " "},
                        form_page=url)
    assert refused.status_code == 400
    assert "Give the reason for changing the eligibility result" in refused.get_data(as_text=True)
    done = post_form(client, url + "/eligibility",
                     {"outcome": "eligible", "reason": "Lived experience confirmed by phone"},
                     form_page=url)
    assert done.status_code == 302
    assert stage_of(app, trust, application) == "eligibility_checked"
    with tenant_context(trust, app):
        assert db.session.get(Application, application).eligibility_outcome == "eligible"
    assert "Lived experience confirmed by phone" in client.get(url).get_data(as_text=True)


def test_notes_are_kept_and_an_empty_note_is_refused_with_what_was_typed_kept(app, trust, lead,
                                                                             cohort_id):
    client, _ = lead
    application = make_application(app, trust, cohort_id)
    url = _page(trust, cohort_id, application)
    assert post_form(client, url + "/notes", {"body": ""}, form_page=url).status_code == 400
    post_form(client, url + "/notes", {"body": "Called to check the start date"}, form_page=url)
    assert "Called to check the start date" in client.get(url).get_data(as_text=True)


def test_an_illegal_move_is_refused_with_the_reason(app, trust, lead, cohort_id):
    client, _ = lead
    application = make_application(app, trust, cohort_id)
    url = _page(trust, cohort_id, application)
    response = post_form(client, url + "/move", {"to": "place_offered"}, form_page=url)
    assert response.status_code == 400
    assert "cannot move to" in response.get_data(as_text=True)
    assert stage_of(app, trust, application) == "eligibility_checked"


def test_panel_members_and_read_only_staff_cannot_use_the_workspace_actions(app, trust,
                                                                           cohort_id):
    application = make_application(app, trust, cohort_id)
    panel, _ = signed_in_client(app, trust, "panel")
    assert panel.get(_page(trust, cohort_id, application)).status_code == 403
    assert panel.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications") \
        .status_code == 403
    reader, _ = signed_in_client(app, trust, "read_only")
    page = reader.get(_page(trust, cohort_id, application))
    assert page.status_code == 200 and "Save the note" not in page.get_data(as_text=True)


def test_an_application_of_another_cohort_or_an_unknown_id_is_not_found(app, trust, lead,
                                                                       cohort_id):
    client, _ = lead
    other = create_cohort(app, trust, name="Other cohort")
    application = make_application(app, trust, other)
    assert client.get(_page(trust, cohort_id, application)).status_code == 404
    assert client.get(_page(trust, cohort_id, 2**63 + 5)).status_code == 404
    assert client.get(f"/trusts/{trust.slug}/coordinator/cohorts/99999999/").status_code == 404


def test_withdrawing_an_application_asks_for_confirmation_first(app, trust, lead, cohort_id):
    client, _ = lead
    application = make_application(app, trust, cohort_id)
    url = _page(trust, cohort_id, application)
    why = reason_id(app, trust, "withdrawn", "personal")
    asked = post_form(client, url + "/move", {"to": "withdrawn", "reason": "Phoned to say",
                                              "reason_id": why}, form_page=url)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Withdraw application PSW-" in page
    assert "no longer considered" in page and 'value="Phoned to say"' in page
    assert stage_of(app, trust, application) == "eligibility_checked", "nothing changed yet"
    done = post_form(client, url + "/move", {"to": "withdrawn", "reason": "Phoned to say",
                                             "reason_id": why, "confirmed": "yes"},
                     form_page=url)
    assert done.status_code == 302 and stage_of(app, trust, application) == "withdrawn"
