"""The applicant journey end to end through the Flask test client and the real database."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application, ApplicationEvent, EqualityMonitoring
from tenants.audit.models import AuditEvent
from tenants.notifications.models import OutboxMessage
from tests.applications.helpers import (
    answer_all,
    create_cohort,
    csrf_from,
    onboard_trust,
    open_link,
    post_form,
    sign_in_link,
    start_application,
    submit,
    use_sign_in_link,
)


@pytest.fixture(scope="module")
def trust(app):
    tenant = onboard_trust(app, "journey", "Journey NHS Trust",
                           contact_email="team@journey.example")
    return tenant


@pytest.fixture(scope="module")
def cohort_id(app, trust):
    return create_cohort(app, trust)


def only_application(app, trust, email):
    with tenant_context(trust, app):
        return db.session.execute(text(
            "SELECT a.* FROM applications a JOIN applicants p ON p.id = a.applicant_id "
            "WHERE lower(p.email) = :e"), {"e": email}).mappings().all()


def test_an_applicant_completes_an_expression_of_interest(app, client, trust, cohort_id):
    start = client.get(f"/trusts/{trust.slug}/apply")
    assert start.status_code == 200 and "Start your application" in start.get_data(as_text=True)
    response = start_application(client, trust, cohort_id, email="complete@applicant.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/apply/step/lived_experience")

    first = client.get(f"/trusts/{trust.slug}/apply/step/lived_experience").get_data(as_text=True)
    assert "Do you have lived experience" in first and "Help in a crisis" in first
    second = client.get(f"/trusts/{trust.slug}/apply/step/available_all_training_days")
    assert f'href="/trusts/{trust.slug}/apply/step/lived_experience"' in \
        second.get_data(as_text=True), "a back link to the previous question"
    optional = client.get(f"/trusts/{trust.slug}/apply/step/disability-confident")
    assert "(optional)" in optional.get_data(as_text=True)

    answer_all(client, trust)
    check = client.get(f"/trusts/{trust.slug}/apply/check-your-answers").get_data(as_text=True)
    assert "Check your answers" in check and check.count(">Change<") >= 6

    confirmation = submit(client, trust)
    assert confirmation.status_code == 302
    page = client.get(confirmation.headers["Location"]).get_data(as_text=True)
    [row] = only_application(app, trust, "complete@applicant.example")
    assert row["reference"] in page and "Easy Read" in page
    assert "eligib" not in page.lower(), "the result is for coordinators, not shouted here"
    assert row["stage"] == "eligibility_checked" and row["eligibility_outcome"] == "eligible"
    assert row["rule_set_version_id"] is not None and len(row["eligibility_results"]) == 3
    assert row["disability_confident"] is True
    easy = client.get(f"/trusts/{trust.slug}/apply/confirmation/easy-read")
    assert row["reference"] in easy.get_data(as_text=True)

    with tenant_context(trust, app):
        stored = db.session.get(Application, row["id"])
        assert stored.answers["lived_experience"] is True
        events = db.session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id == row["id"]).order_by(ApplicationEvent.id)).all()
        assert [e.to_stage for e in events] == ["interest_registered", "eoi_submitted",
                                                "eligibility_checked"]
        equality = db.session.scalars(select(EqualityMonitoring).where(
            EqualityMonitoring.application_id == row["id"])).one()
        assert equality.answers["gender"] == "prefer_not_to_say"
        ack = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == "eoi_acknowledgement",
            OutboxMessage.related_id == str(row["id"]))).one()
        assert ack.recipient_email == "complete@applicant.example"
        assert ack.variant == "easy_read", "the applicant asked for Easy Read"


def test_an_answer_typed_with_an_error_is_kept_and_summarised(client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="errors@applicant.example")
    response = post_form(client, f"/trusts/{trust.slug}/apply/step/lived_experience", {})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in body and "<title>Error: " in body
    assert 'href="#answer"' in body
    details = post_form(client, f"/trusts/{trust.slug}/apply/{cohort_id}/your-details",
                        {"name": "Sam Example", "email": "not-an-email"})
    assert details.status_code in (302, 400)


def test_a_required_question_left_blank_blocks_sending(client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="blank@applicant.example")
    response = submit(client, trust)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Answer the question" in body


def test_a_second_eoi_from_the_same_email_continues_the_first(app, client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="twice@applicant.example")
    other = app.test_client()
    again = start_application(other, trust, cohort_id, email="TWICE@applicant.example")
    assert again.headers["Location"].endswith("/apply/link-sent")
    assert len(only_application(app, trust, "twice@applicant.example")) == 1
    with tenant_context(trust, app):
        assert db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.template_key == "magic_sign_in_link",
            OutboxMessage.recipient_email == "twice@applicant.example"))


def test_applications_are_refused_outside_the_window_with_the_next_dates(app, client, make_trust):
    tenant = make_trust()
    closed_id = create_cohort(app, tenant, name="Past intake", opens=-40, closes=-10, starts=5)
    create_cohort(app, tenant, name="Autumn intake", opens=30, closes=60, starts=90)
    page = client.get(f"/trusts/{tenant.slug}/apply").get_data(as_text=True)
    assert "Applications are closed" in page and "Autumn intake" in page
    late = client.get(f"/trusts/{tenant.slug}/apply/{closed_id}/your-details")
    assert "Applications are closed" in late.get_data(as_text=True)


def test_a_magic_link_signs_in_once_and_shows_status_in_plain_words(app, client, trust,
                                                                     cohort_id):
    start_application(client, trust, cohort_id, email="status@applicant.example")
    fresh = app.test_client()
    token = sign_in_link(app, trust, "status@applicant.example")
    button_page = open_link(fresh, f"/trusts/{trust.slug}/account/sign-in/{token}")
    opened = fresh.get(button_page)
    assert opened.status_code == 200
    used = post_form(fresh, button_page)
    assert used.status_code == 302
    home = fresh.get(f"/trusts/{trust.slug}/account/").get_data(as_text=True)
    assert "You have started your application but not sent it yet." in home
    again = app.test_client().get(f"/trusts/{trust.slug}/account/sign-in/{token}")
    assert again.status_code == 404 and "expired" in again.get_data(as_text=True)


def test_a_sign_in_is_bound_to_its_trust(app, client, trust, cohort_id, make_trust):
    other = make_trust()
    start_application(client, trust, cohort_id, email="bound@applicant.example")
    token = sign_in_link(app, trust, "bound@applicant.example")
    use_sign_in_link(client, trust, token)
    assert client.get(f"/trusts/{trust.slug}/account/").status_code == 200
    elsewhere = client.get(f"/trusts/{other.slug}/account/")
    assert elsewhere.status_code == 302 and "/sign-in" in elsewhere.headers["Location"]
    assert app.test_client().get(
        f"/trusts/{other.slug}/account/sign-in/{token}").status_code == 404


def test_signing_out_ends_the_applicants_session_on_the_server(app, client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="copied@applicant.example")
    fresh = app.test_client()
    use_sign_in_link(fresh, trust, sign_in_link(app, trust, "copied@applicant.example"))
    cookie = fresh.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert fresh.get(f"/trusts/{trust.slug}/account/").status_code == 200
    home = fresh.get(f"/trusts/{trust.slug}/account/")
    out = fresh.post(f"/trusts/{trust.slug}/account/sign-out",
                     data={"csrf_token": csrf_from(home)})
    assert out.status_code == 302
    replayed = app.test_client()
    replayed.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    again = replayed.get(f"/trusts/{trust.slug}/account/")
    assert again.status_code == 302 and "/sign-in" in again.headers["Location"]


def test_sign_in_links_are_rate_limited_per_applicant(app, client, trust, cohort_id):
    start_application(client, trust, cohort_id, email="flood@applicant.example")
    for attempt in range(5):
        response = post_form(app.test_client(), f"/trusts/{trust.slug}/account/sign-in",
                             {"email": "flood@applicant.example"})
        # Past the third the page says so, instead of claiming to have sent a link.
        assert response.status_code == (302 if attempt < 3 else 429)
    body = response.get_data(as_text=True)
    assert "You have asked for a sign-in link too many times. Try again in" in body
    assert "There is a problem" in body and int(response.headers["Retry-After"]) > 0
    with tenant_context(trust, app):
        sent = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient_email == "flood@applicant.example",
            OutboxMessage.template_key == "magic_sign_in_link")).all()
    assert len(sent) == 3


def test_unknown_email_gets_the_same_answer_and_no_message(app, trust):
    response = post_form(app.test_client(), f"/trusts/{trust.slug}/account/sign-in",
                         {"email": "nobody@applicant.example"})
    assert response.headers["Location"].endswith("/apply/link-sent")


def signed_in_with_submitted_application(app, client, trust, cohort_id, email):
    start_application(client, trust, cohort_id, email=email)
    answer_all(client, trust)
    submit(client, trust)
    token = sign_in_link(app, trust, email)
    use_sign_in_link(client, trust, token)
    return only_application(app, trust, email)[0]


def test_an_applicant_withdraws_with_a_reason(app, client, trust, cohort_id):
    row = signed_in_with_submitted_application(app, client, trust, cohort_id,
                                               "withdraw@applicant.example")
    url = f"/trusts/{trust.slug}/account/applications/{row['id']}/withdraw"
    response = post_form(client, url, {"reason": "Not the right time for me"})
    assert response.status_code == 302
    home = client.get(f"/trusts/{trust.slug}/account/").get_data(as_text=True)
    assert "You have withdrawn this application." in home
    with tenant_context(trust, app):
        event = db.session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id == row["id"]).order_by(
            ApplicationEvent.id.desc())).first()
        assert (event.to_stage, event.reason) == ("withdrawn", "Not the right time for me")
        assert event.actor.startswith("applicant:")


def test_an_applicant_asks_to_defer_and_updates_contact_details(app, client, trust, cohort_id):
    row = signed_in_with_submitted_application(app, client, trust, cohort_id,
                                               "defer@applicant.example")
    post_form(client, f"/trusts/{trust.slug}/account/applications/{row['id']}/defer", {})
    assert only_application(app, trust, "defer@applicant.example")[0]["stage"] == "deferred"
    saved = post_form(client, f"/trusts/{trust.slug}/account/details",
                      {"name": "Deferred Person", "phone": "07700 900982", "large_print": "yes",
                       "voicemail_ok": "no"})
    assert saved.status_code == 302
    bad = post_form(client, f"/trusts/{trust.slug}/account/details",
                    {"name": "Kept Name", "phone": "call me"})
    assert bad.status_code == 400 and 'value="Kept Name"' in bad.get_data(as_text=True)


def test_another_applicants_application_reads_as_missing(app, client, trust, cohort_id):
    row = signed_in_with_submitted_application(app, client, trust, cohort_id,
                                               "owner@applicant.example")
    intruder = app.test_client()
    signed_in_with_submitted_application(app, intruder, trust, cohort_id,
                                         "intruder@applicant.example")
    response = intruder.get(f"/trusts/{trust.slug}/account/applications/{row['id']}/withdraw")
    assert response.status_code == 404


def test_the_self_check_stores_nothing(app, client, trust):
    with tenant_context(trust, app):
        before = db.session.scalar(text("SELECT count(*) FROM audit_events"))
        applicants = db.session.scalar(text("SELECT count(*) FROM applicants"))
    page = client.get(f"/trusts/{trust.slug}/eligibility-check")
    assert page.status_code == 200
    result = post_form(client, f"/trusts/{trust.slug}/eligibility-check",
                       {"lived_experience.answer": "no",
                        "available_all_training_days.answer": "yes",
                        "willing_to_share_experience.answer": "yes"})
    body = result.get_data(as_text=True)
    assert result.status_code == 200 and "may not be right for you just now" in body
    assert "support is available" in body
    with tenant_context(trust, app):
        assert db.session.scalar(text("SELECT count(*) FROM audit_events")) == before
        assert db.session.scalar(text("SELECT count(*) FROM applicants")) == applicants


def test_every_applicant_page_links_to_help_in_a_crisis(client, trust):
    for path in ("apply", "account/sign-in", "eligibility-check", "easy-read",
                 "help-in-a-crisis"):
        body = client.get(f"/trusts/{trust.slug}/{path}").get_data(as_text=True)
        assert f'href="/trusts/{trust.slug}/help-in-a-crisis"' in body, path
    crisis = client.get(f"/trusts/{trust.slug}/help-in-a-crisis").get_data(as_text=True)
    assert "NHS 111" in crisis and "116 123" in crisis


def test_the_platform_index_lists_trusts_with_open_cohorts(client, trust, cohort_id):
    # The list is paged (the suite holds many trusts): found with its search, as a person would.
    body = client.get("/", query_string={"q": "Journey NHS Trust"}).get_data(as_text=True)
    assert "Journey NHS Trust" in body and "Taking applications for Spring intake" in body


def test_applicant_actions_are_audited(app, trust):
    with tenant_context(trust, app):
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"application.create", "application.answer", "application.transition",
            "application.view", "applicant.sign_in"} <= actions
