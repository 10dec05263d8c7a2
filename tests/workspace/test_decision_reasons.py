"""Structured reasons: chosen on the application page, by the bulk action and through the
API, they reach the applicant's account (kind words, never the team's details) and the
reasons report; the list is each trust's own, versioned, retired rather than deleted; and
the applicant can ask to talk a decision through."""

from __future__ import annotations

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.applications.decisions import counts_by_stage_and_reason
from tenants.applications.models import ApplicationEvent, ConversationRequest
from tenants.reasons.defaults import DEFAULT_REASONS
from tenants.reasons.models import DecisionReason
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link, sign_in_link
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application, reason_id, stage_of


def _feedback(kind: str, key: str) -> str:
    return next(feedback for k, _, feedback in DEFAULT_REASONS[kind] if k == key)


def _applicant_account(app, trust, email: str) -> str:
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    return client


def _api_token(app, trust, coordinator_id: int, scope: str = "write") -> str:
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, coordinator_id, "reasons test", scope)
        db.session.commit()
    return token


def test_reasons_chosen_on_every_path_reach_the_applicant_and_the_report(app, trust, lead):
    client, lead_id = lead
    cohort = create_cohort(app, trust, name="Reasons intake")
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}"
    emails = {path: f"reasons-{path}@applicant.example" for path in ("page", "bulk", "api")}
    by_page = make_application(app, trust, cohort, stage="eoi_submitted",
                               eligibility="needs_review", email=emails["page"])
    by_bulk = make_application(app, trust, cohort, email=emails["bulk"])
    by_api = make_application(app, trust, cohort, stage="interviewed", email=emails["api"])

    page = f"{base}/applications/{by_page}"
    assert "Choose a reason" in text_of(client.get(page))
    no_reason = post_form(client, page + "/move", {"to": "not_eligible", "send_message": "no",
                                                   "reason": "Told us on the phone"},
                          form_page=page)
    assert no_reason.status_code == 400 and "Choose a reason for this decision" in \
        no_reason.get_data(as_text=True)
    moved = post_form(client, page + "/move", {
        "to": "not_eligible", "send_message": "no", "reason": "Told us on the phone",
        "reason_id": reason_id(app, trust, "not_eligible", "age")}, form_page=page)
    assert moved.status_code == 302

    post_form(client, f"{base}/applications", {
        "action": "reject", "ids": [by_bulk], "send_message": "no",
        "reason_id": reason_id(app, trust, "not_shortlisted", "places")},
        form_page=f"{base}/applications")

    token = _api_token(app, trust, lead_id)
    url = f"/api/v1/trusts/{trust.slug}/applications/{by_api}/transitions"
    headers = {"Authorization": f"Bearer {token}"}
    missing = app.test_client().post(url, json={"to": "not_successful"}, headers=headers)
    assert missing.status_code == 409
    wrong_kind = app.test_client().post(url, json={
        "to": "not_successful", "reason_id": reason_id(app, trust, "not_shortlisted", "places")},
        headers=headers)
    assert wrong_kind.status_code == 409 and "not for not successful" in wrong_kind.get_data(
        as_text=True)
    chosen = app.test_client().post(url, json={
        "to": "not_successful", "send_message": False,
        "reason_id": reason_id(app, trust, "not_successful", "places")}, headers=headers)
    assert chosen.status_code == 200, chosen.get_data(as_text=True)
    assert chosen.get_json()["history"][-1]["reason_id"] == reason_id(
        app, trust, "not_successful", "places")

    assert [stage_of(app, trust, a) for a in (by_page, by_bulk, by_api)] == [
        "not_eligible", "not_shortlisted", "not_successful"]
    for path, (kind, key) in {"page": ("not_eligible", "age"),
                              "bulk": ("not_shortlisted", "places"),
                              "api": ("not_successful", "places")}.items():
        account = text_of(_applicant_account(app, trust, emails[path]).get(
            f"/trusts/{trust.slug}/account/"))
        assert _feedback(kind, key) in account, path
        assert "Told us on the phone" not in account  # the team's details stay with the team

    with tenant_context(trust, app):
        counts = {(c.stage, c.key): c.count
                  for c in counts_by_stage_and_reason(db.session, cohort)}
    assert counts == {("not_eligible", "age"): 1, ("not_shortlisted", "places"): 1,
                      ("not_successful", "places"): 1}
    dashboard = text_of(client.get(f"{base}/"))
    assert "Reasons given" in dashboard and "Under the minimum age" in dashboard
    report = app.test_client().get(f"/api/v1/trusts/{trust.slug}/reports/reasons",
                                   query_string={"cohort_id": cohort}, headers=headers)
    assert report.status_code == 200
    assert {(r["stage"], r["key"], r["count"]) for r in report.get_json()} == {
        ("not_eligible", "age", 1), ("not_shortlisted", "places", 1),
        ("not_successful", "places", 1)}


def test_a_reworded_reason_is_a_new_version_and_a_retired_one_cannot_be_chosen(app, trust,
                                                                               lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Versions intake")
    settings = f"/trusts/{trust.slug}/coordinator/settings/reasons/"
    index = text_of(client.get(f"/trusts/{trust.slug}/coordinator/settings/"))
    assert "Reasons for decisions" in index
    first = make_application(app, trust, cohort, stage="interviewed")
    old_id = reason_id(app, trust, "not_successful", "not_attended")
    post_form(client, f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/"
              f"{first}/move", {"to": "not_successful", "send_message": "no",
                                "reason_id": old_id}, form_page=settings)
    changed = post_form(client, f"{settings}{old_id}/edit", {
        "label": "Could not come to the interview", "feedback": "We missed you at interview."})
    assert changed.status_code == 302
    new_id = reason_id(app, trust, "not_successful", "not_attended")
    assert new_id != old_id
    second = make_application(app, trust, cohort, stage="interviewed")
    with tenant_context(trust, app):
        old = db.session.get(DecisionReason, old_id)
        assert old.retired_at is not None and old.label == "Did not attend the interview"
        assert db.session.get(DecisionReason, new_id).version == 2
        first_event = db.session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id == first).order_by(
            ApplicationEvent.id.desc())).first()
        assert first_event.reason == "Did not attend the interview"  # the words used then
    refused = post_form(client, f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/"
                        f"applications/{second}/move",
                        {"to": "not_successful", "send_message": "no", "reason_id": old_id},
                        form_page=settings)
    assert refused.status_code == 400 and stage_of(app, trust, second) == "interviewed"
    post_form(client, f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/"
              f"{second}/move", {"to": "not_successful", "send_message": "no",
                                 "reason_id": new_id}, form_page=settings)
    with tenant_context(trust, app):
        counts = {(c.stage, c.key): (c.label, c.count)
                  for c in counts_by_stage_and_reason(db.session, cohort)}
    # Both versions count as one reason, under its newest words.
    assert counts == {("not_successful", "not_attended"):
                      ("Could not come to the interview", 2)}
    page = text_of(client.get(settings))
    assert "Could not come to the interview" in page and "Retired reasons" in page

    retired = post_form(client, f"{settings}{new_id}/retire", {}, form_page=settings)
    assert retired.status_code == 302
    with tenant_context(trust, app):
        assert db.session.get(DecisionReason, new_id).retired_at is not None
    third = make_application(app, trust, cohort, stage="interviewed")
    form = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/applications/"
                      f"{third}").get_data(as_text=True)
    assert f'<option value="{new_id}"' not in form  # retired: no longer offered
    assert f'<option value="{reason_id(app, trust, "not_successful", "places")}"' in form


def test_an_applicant_can_ask_to_talk_a_decision_through(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Conversation intake")
    email = "talk-it-through@applicant.example"
    application = make_application(app, trust, cohort, email=email)
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}"
    post_form(client, f"{base}/applications", {
        "action": "reject", "ids": [application], "send_message": "no",
        "reason_id": reason_id(app, trust, "not_shortlisted", "criteria")},
        form_page=f"{base}/applications")
    applicant = _applicant_account(app, trust, email)
    home = f"/trusts/{trust.slug}/account/"
    assert "Ask to talk this through" in text_of(applicant.get(home))
    asked = post_form(applicant, f"/trusts/{trust.slug}/account/applications/{application}/"
                      "conversation", {}, form_page=home)
    assert asked.status_code == 302 and asked.headers["Location"].endswith("done=conversation")
    assert "You asked to talk this through" in text_of(applicant.get(home))
    assert "asked" in text_of(client.get(f"{base}/"))
    page = f"{base}/applications/{application}"
    assert "asked on" in text_of(client.get(page))
    done = post_form(client, f"{page}/conversation-done", {}, form_page=page)
    assert done.status_code == 302
    with tenant_context(trust, app):
        request = db.session.scalars(select(ConversationRequest).where(
            ConversationRequest.application_id == application)).one()
        assert request.done_at is not None and request.done_by


def test_an_applicant_withdrawing_can_choose_a_reason(app, trust):
    cohort = create_cohort(app, trust, name="Withdraw intake")
    email = "withdrawing@applicant.example"
    application = make_application(app, trust, cohort, email=email)
    applicant = _applicant_account(app, trust, email)
    page = f"/trusts/{trust.slug}/account/applications/{application}/withdraw"
    assert "What is the main reason? (optional)" in text_of(applicant.get(page))
    done = post_form(applicant, page, {"reason_id": reason_id(app, trust, "withdrawn",
                                                              "other_job")})
    assert done.status_code == 302 and stage_of(app, trust, application) == "withdrawn"
    assert _feedback("withdrawn", "other_job") in text_of(applicant.get(
        f"/trusts/{trust.slug}/account/"))
