"""Conditions before training (issue 16): the trust's list (add, reword, retire) reached from
the settings index, the conditions attached to a place when it is offered and accepted, each
recorded on the application page with its date and who recorded it, the training-start
refusal and a lead's override, what the applicant reads, and the same in the API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peerpath.datewords import nhs_date
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications.models import Applicant, Application
from tenants.applications.service import transition
from tenants.audit.models import AuditEvent
from tenants.conditions import service as conditions
from tenants.conditions.models import Condition, PlaceCondition
from tenants.training import service as training
from tests.accounts.helpers import post_form
from tests.config.test_public_page import text_of
from tests.workspace.conditions_support import (
    accepted_place,
    act,
    applicant_signs_in,
    follow,
    meet_every_condition,
    on_application,
    statuses,
    trained_cohort,
)
from tests.workspace.helpers import make_application, make_coordinator, signed_in_client, stage_of

DEFAULTS = {"DBS check": "pending", "Occupational health clearance": "pending",
            "Two references": "pending", "Right to work in the UK": "pending"}


def _audited(app, trust, action, application_id) -> list[AuditEvent]:
    with tenant_context(trust, app):
        return list(db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == action, AuditEvent.record_id == str(application_id))))


def test_an_offered_place_gets_the_current_conditions_and_accepting_adds_new_ones(
        app, make_trust):
    trust = make_trust()
    cohort = trained_cohort(app, trust)
    application = make_application(app, trust, cohort, stage="interviewed")
    on_application(app, trust, application,
                   lambda s, a: training.offer_place(s, a, actor="coordinator:test"))
    assert statuses(app, trust, application) == DEFAULTS
    added = act(app, trust, lambda s: conditions.add(
        s, label="Health questionnaire", waiting_for="your health questionnaire",
        actor="lead").id)
    dbs = act(app, trust, lambda s: s.scalars(select(Condition.id).where(
        Condition.key == "dbs_check")).one())
    act(app, trust, lambda s: conditions.reword(s, s.get(Condition, dbs), label="Enhanced DBS",
                                                waiting_for="your enhanced DBS", actor="lead"))
    on_application(app, trust, application,
                   lambda s, a: training.accept(s, a, actor="coordinator:test"))
    # The new condition is added once; the reworded one is not added again (same key), and
    # the place keeps the words it was given.
    assert statuses(app, trust, application) == {**DEFAULTS, "Health questionnaire": "pending"}
    act(app, trust, lambda s: conditions.retire(s, s.get(Condition, added), actor="lead"))
    assert "Health questionnaire" in statuses(app, trust, application)
    later = accepted_place(app, trust, cohort)
    assert set(statuses(app, trust, later)) == \
        {"Enhanced DBS", "Occupational health clearance", "Two references",
         "Right to work in the UK"}


def test_training_does_not_start_with_an_unmet_condition_until_met_or_overridden(
        app, make_trust):
    trust = make_trust()
    cohort = trained_cohort(app, trust)
    waiting, met, overridden = (accepted_place(app, trust, cohort) for _ in range(3))
    meet_every_condition(app, trust, met)
    with tenant_context(trust, app):
        row = conditions.of_place(db.session, overridden)[0]
        conditions.record_status(db.session, row, "not_met", actor="coordinator:test")
        db.session.commit()
    with pytest.raises(conditions.Refused, match="nothing to override"):
        on_application(app, trust, met, lambda s, a: conditions.override(
            s, a, reason="Started elsewhere", actor="lead"))
    on_application(app, trust, overridden, lambda s, a: conditions.override(
        s, a, reason="DBS portability from their current NHS post", actor="lead"))

    assert act(app, trust, lambda s: training.start_training(s, cohort, actor="lead")) == 2
    assert [stage_of(app, trust, a) for a in (waiting, met, overridden)] == \
        ["place_accepted", "in_training", "in_training"]
    with tenant_context(trust, app):
        held = conditions.held_back(db.session, cohort)
        assert [(a.id, len(unmet)) for a, _, unmet in held] == [(waiting, 4)]
    # No other path starts it either: the one stage change refuses and rolls back.
    with pytest.raises(conditions.ConditionsUnmet, match="conditions not met yet"):
        on_application(app, trust, waiting, lambda s, a: transition(
            s, a, "in_training", actor="coordinator:test"))
    assert stage_of(app, trust, waiting) == "place_accepted"
    assert [e.detail["to"] for e in _audited(app, trust, "place_condition.record",
                                             overridden)] == ["not_met"]
    assert len(_audited(app, trust, "place_conditions.override", overridden)) == 1


def test_settings_pages_add_reword_and_retire_conditions_reached_from_the_settings_index(
        app, make_trust):
    trust = make_trust()
    client, _ = signed_in_client(app, trust, "lead")
    home = client.get(f"/trusts/{trust.slug}/coordinator/")
    settings = follow(client, home, "Settings")
    page = follow(client, settings, "Conditions before training")
    assert "We are waiting for your DBS check." in text_of(page)
    form = follow(client, page, "Add a condition")
    blank = post_form(client, form.request.path, {"label": "", "waiting_for": ""})
    assert blank.status_code == 400 and "There is a problem" in text_of(blank)
    saved = post_form(client, form.request.path, {"label": "Driving licence",
                                                  "waiting_for": "a copy of your licence"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"])
    assert "We are waiting for a copy of your licence." in text_of(page)
    change = follow(client, page, "Change")  # the first condition: DBS check
    post_form(client, change.request.path, {"label": "Enhanced DBS check",
                                            "waiting_for": "your enhanced DBS check"})
    with tenant_context(trust, app):
        licence = db.session.scalars(select(Condition).where(
            Condition.label == "Driving licence")).one().id
    retired = post_form(client, f"{page.request.path}{licence}/retire", {},
                        form_page=page.request.path)
    page = client.get(retired.headers["Location"])
    assert "Enhanced DBS check" in text_of(page)
    assert "Driving licence (version 1)" in text_of(page).split("Retired conditions")[1]
    assert "DBS check (version 1)" in text_of(page).split("Retired conditions")[1]
    coordinator, _ = signed_in_client(app, trust, "coordinator")
    assert coordinator.get(change.request.path).status_code == 403


def test_conditions_are_recorded_on_the_application_page_reached_from_the_places_page(
        app, make_trust):
    trust = make_trust()
    cohort = trained_cohort(app, trust, name="Autumn places")
    application = accepted_place(app, trust, cohort, name="Robin Place")
    client, _ = signed_in_client(app, trust, "coordinator")
    home = client.get(f"/trusts/{trust.slug}/coordinator/")
    chooser = follow(client, home, "Training")
    places = follow(client, chooser, "Autumn places")
    assert "Cannot start training yet" in text_of(places)
    page = follow(client, places, "Robin Place")
    assert "Conditions of the place" in text_of(page)
    assert "Let them start training" not in text_of(page)  # a lead's override only
    with tenant_context(trust, app):
        rows = {r.condition.label: r.id for r in conditions.of_place(db.session, application)}
    action = f"{page.request.path}/conditions/{rows['DBS check']}"
    bad = post_form(client, action, {"status": "lost"}, form_page=page.request.path)
    assert bad.status_code == 400 and "Choose pending, met or not met" in text_of(bad)
    done = post_form(client, action, {"status": "met"}, form_page=page.request.path)
    assert done.status_code == 302
    page = client.get(done.headers["Location"])
    assert statuses(app, trust, application)["DBS check"] == "met"
    with tenant_context(trust, app):
        row = db.session.get(PlaceCondition, rows["DBS check"])
        recorded = f"{nhs_date(row.recorded_at, weekday=False)} by {row.recorded_by}"
    assert recorded in text_of(page)
    lead, _ = signed_in_client(app, trust, "lead")
    page = lead.get(page.request.path)
    empty = post_form(lead, f"{page.request.path}/conditions/override", {"reason": " "},
                      form_page=page.request.path)
    assert empty.status_code == 400 and "There is a problem" in text_of(empty)
    post_form(lead, f"{page.request.path}/conditions/override",
              {"reason": "References are on their way from the last employer"},
              form_page=page.request.path)
    page = lead.get(page.request.path)
    assert "May start training with conditions unmet: References are on their way" in \
        text_of(page)
    post_form(lead, places.request.path.replace("/places", "/training/start"), {},
              form_page=places.request.path)
    assert stage_of(app, trust, application) == "in_training"


def test_the_applicant_reads_what_is_outstanding_in_plain_words(app, make_trust):
    trust = make_trust()
    cohort = trained_cohort(app, trust)
    application = accepted_place(app, trust, cohort)
    with tenant_context(trust, app):
        email = db.session.get(Applicant, db.session.get(
            Application, application).applicant_id).email
        by_label = {r.condition.label: r for r in conditions.of_place(db.session, application)}
        for label in ("Occupational health clearance", "Two references",
                      "Right to work in the UK"):
            conditions.record_status(db.session, by_label[label], "met", actor="test")
        db.session.commit()
    account = applicant_signs_in(app, trust, app.test_client(), email)
    assert "We are waiting for your DBS check." in text_of(account)
    assert "references" not in text_of(account)
    meet_every_condition(app, trust, application)
    account = applicant_signs_in(app, trust, app.test_client(), email)
    assert "We are waiting for" not in text_of(account)
    assert "All the checks for your place are done." in text_of(account)


@pytest.fixture
def api(app, make_trust):
    trust = make_trust()
    tokens = {}
    for role in ("lead", "coordinator"):
        coordinator_id, _, _ = make_coordinator(app, trust, role)
        with tenant_context(trust, app):
            tokens[role] = issue(db.session, trust, coordinator_id, role, "write")[1]
            db.session.commit()
    client = app.test_client()

    def call(method, path, role="lead", **kwargs):
        return client.open(f"/api/v1/trusts/{trust.slug}{path}", method=method,
                           headers={"Authorization": f"Bearer {tokens[role]}"}, **kwargs)

    call.trust = trust
    return call


def test_the_api_lists_records_and_overrides_with_the_same_permissions(app, api):
    trust = api.trust
    listed = api("GET", "/conditions").get_json()
    assert [c["label"] for c in listed] == list(DEFAULTS)
    assert api("POST", "/conditions", json={"label": ""}).status_code == 422
    added = api("POST", "/conditions", json={"label": "Lanyard photo",
                                             "waiting_for": "a photo for your lanyard"})
    assert added.status_code == 201
    assert api("POST", "/conditions", role="coordinator",
               json={"label": "X", "waiting_for": "y"}).status_code == 403
    reworded = api("POST", f"/conditions/{added.get_json()['id']}/versions",
                   json={"label": "Lanyard photograph", "waiting_for": "a photograph"})
    assert reworded.get_json()["version"] == 2
    cohort = trained_cohort(app, trust)
    application = accepted_place(app, trust, cohort)
    place = api("GET", f"/applications/{application}/conditions").get_json()
    assert place["may_start_training"] is False and len(place["conditions"]) == 5
    first = place["conditions"][0]["id"]
    path = f"/applications/{application}/conditions/{first}/status"
    assert api("POST", path, json={"status": "lost"}).status_code == 422
    assert api("POST", f"/applications/{application}/conditions/987654321/status",
               json={"status": "met"}).status_code == 404
    recorded = api("POST", path, role="coordinator", json={"status": "met"}).get_json()
    assert recorded["conditions"][0]["status"] == "met"
    assert recorded["conditions"][0]["recorded_by"]
    override = f"/applications/{application}/conditions/override"
    assert api("POST", override, role="coordinator",
               json={"reason": "Needed today"}).status_code == 403
    assert api("POST", override, json={"reason": "   "}).status_code == 409
    done = api("POST", override, json={"reason": "Agreed with HR"})
    assert done.status_code == 201 and done.get_json()["may_start_training"] is True
    assert done.get_json()["override"]["reason"] == "Agreed with HR"
