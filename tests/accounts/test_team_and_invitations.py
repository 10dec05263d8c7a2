"""Leads manage their team: invitations (single use, expiring), roles, deactivation, 2FA reset."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select, update

from accounts.conftest import PASSWORD, enter_code, sign_in, sign_in_password
from accounts.helpers import csrf_from, post_form
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.audit.models import AuditEvent
from tenants.coordinators.models import Coordinator, Invitation
from tenants.coordinators.service import create_coordinator
from tests.applications.helpers import open_link


@pytest.fixture
def lead(app, trust, make_coordinator):
    """A client signed in as a lead of `trust`: (client, lead id)."""
    lead_id, email, secret = make_coordinator("lead")
    client = app.test_client()
    assert sign_in(client, trust, email, secret).status_code == 302
    return client, lead_id


def team(trust) -> str:
    return f"/trusts/{trust.slug}/coordinator/team/"


def invite(client, trust, email: str, role: str = "coordinator", name: str = "New Colleague"):
    return post_form(client, team(trust) + "invite",
                     {"display_name": name, "email": email, "role": role})


def invitation_link(client, trust) -> str:
    page = client.get(team(trust)).get_data(as_text=True)
    return re.search(r'id="dev-invitation-link">https?://[^/]+([^<]+)<', page).group(1)


def member(app, trust, coordinator_id) -> Coordinator:
    with app.app_context(), tenant_context(trust):
        return db.session.get(Coordinator, coordinator_id)


def actions(app, trust, coordinator_id) -> list[str]:
    with app.app_context(), tenant_context(trust):
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_id == str(coordinator_id)).order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["coordinator", "panel", "read_only"])
def test_only_leads_may_open_the_team_pages(app, trust, make_coordinator, role):
    _, email, secret = make_coordinator(role)
    client = app.test_client()
    sign_in(client, trust, email, secret)
    assert client.get(team(trust)).status_code == 403
    assert client.get(team(trust) + "invite").status_code == 403
    assert "/sign-in" in app.test_client().get(team(trust)).headers["Location"]


def test_an_invited_person_sets_a_password_sets_up_their_app_and_is_signed_in(app, lead, trust):
    client, _ = lead
    email = "invited.person@trust.example"
    assert invite(client, trust, email, role="panel").status_code == 302
    link = invitation_link(client, trust)
    assert "Invited" in client.get(team(trust)).get_data(as_text=True)

    newcomer = app.test_client()
    form_page = open_link(newcomer, link)
    assert "Choose a password" in newcomer.get(form_page).get_data(as_text=True)
    mismatch = post_form(newcomer, form_page, {"password": PASSWORD, "password_again": "other"})
    assert mismatch.status_code == 400
    assert "The passwords do not match" in mismatch.get_data(as_text=True)
    response = post_form(newcomer, form_page, {"password": PASSWORD,
                                               "password_again": PASSWORD})
    assert response.headers["Location"].endswith("/sign-in/set-up-two-factor")
    page = newcomer.get(response.headers["Location"]).get_data(as_text=True)
    secret = re.search(r'app-secret">([^<]+)<', page).group(1).replace(" ", "")
    done = enter_code(newcomer, trust, pyotp.TOTP(secret).now(), page="set-up-two-factor")
    assert done.status_code == 200 and "Save your recovery codes" in done.get_data(as_text=True)
    assert newcomer.get(f"/trusts/{trust.slug}/coordinator/").status_code == 200
    assert newcomer.get(team(trust)).status_code == 403  # a panel member, not a lead

    assert newcomer.get(link).status_code == 404  # single use
    assert newcomer.get(form_page).status_code == 404
    assert sign_in_password(app.test_client(), trust, email).status_code == 302


def test_an_invitation_link_works_once_even_from_two_tabs(app, lead, trust):
    client, _ = lead
    invite(client, trust, "two.tabs@trust.example")
    link = invitation_link(client, trust)
    first, second = app.test_client(), app.test_client()
    form_page = open_link(first, link)
    assert open_link(second, link) == form_page
    first_page, second_page = first.get(form_page), second.get(form_page)
    assert first_page.status_code == second_page.status_code == 200

    form = {"password": PASSWORD, "password_again": PASSWORD}
    assert first.post(form_page, data={**form, "csrf_token": csrf_from(first_page)}
                      ).status_code == 302
    late = second.post(form_page, data={**form, "csrf_token": csrf_from(second_page)})
    assert late.status_code == 404


def test_an_expired_invitation_link_does_not_work(app, lead, trust):
    client, _ = lead
    invite(client, trust, "too.late@trust.example")
    link = invitation_link(client, trust)
    with app.app_context(), tenant_context(trust):
        db.session.execute(update(Invitation).values(expires_at=Invitation.created_at))
        db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 404
    assert "This invitation link does not work" in response.get_data(as_text=True)


def test_a_new_invitation_replaces_the_old_link(app, lead, trust):
    client, _ = lead
    invite(client, trust, "again@trust.example")
    old_link = invitation_link(client, trust)
    with app.app_context(), tenant_context(trust):
        invited_id = db.session.scalar(select(Coordinator.id).where(
            Coordinator.email == "again@trust.example"))
    path = f"{team(trust)}{invited_id}"
    post_form(client, path + "/invite-again", {}, form_page=path)
    new_link = invitation_link(client, trust)
    assert new_link != old_link
    assert app.test_client().get(old_link).status_code == 404
    newcomer = app.test_client()
    assert newcomer.get(open_link(newcomer, new_link)).status_code == 200


def test_inviting_an_email_already_on_the_team_keeps_what_was_typed(lead, trust,
                                                                   make_coordinator):
    client, _ = lead
    _, email, _ = make_coordinator()
    response = invite(client, trust, email.upper(), name="Typed Name")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "already someone on the team" in body and 'value="Typed Name"' in body


def test_bad_invitation_input_gets_field_errors_not_a_500(lead, trust):
    client, _ = lead
    for data in ({}, {"email": "x" * 5000, "display_name": "\x00", "role": "owner"}):
        response = post_form(client, team(trust) + "invite", data)
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)


def test_a_lead_changes_a_role_and_it_is_audited(app, lead, trust, make_coordinator):
    client, _ = lead
    colleague_id, _, _ = make_coordinator()
    path = f"{team(trust)}{colleague_id}"
    assert post_form(client, path + "/role", {"role": "read_only"},
                     form_page=path).status_code == 302
    assert member(app, trust, colleague_id).role == "read_only"
    assert "coordinator.role_changed" in actions(app, trust, colleague_id)


def test_the_last_lead_cannot_be_demoted_or_deactivated(app, client, make_trust):
    tenant, secret = make_trust(), pyotp.random_base32()
    with app.app_context(), tenant_context(tenant):
        only = create_coordinator(db.session, email="only@trust.example", display_name="Only",
                                  role="lead", password=PASSWORD, totp_secret=secret)
        db.session.commit()
    sign_in(client, tenant, "only@trust.example", secret)
    path = f"{team(tenant)}{only.id}"
    response = post_form(client, path + "/role", {"role": "coordinator"}, form_page=path)
    assert response.status_code == 400
    assert "at least one lead coordinator" in response.get_data(as_text=True)
    assert member(app, tenant, only.id).role == "lead"


def test_deactivating_someone_ends_their_sessions_at_once(app, lead, trust, make_coordinator):
    client, _ = lead
    colleague_id, email, secret = make_coordinator()
    colleague = app.test_client()
    sign_in(colleague, trust, email, secret)
    assert colleague.get(f"/trusts/{trust.slug}/coordinator/").status_code == 200
    path = f"{team(trust)}{colleague_id}"
    assert post_form(client, path + "/deactivate", {"confirmed": "yes"},
                     form_page=path).status_code == 302
    assert colleague.get(f"/trusts/{trust.slug}/coordinator/").status_code == 302
    assert not member(app, trust, colleague_id).active
    assert sign_in(app.test_client(), trust, email, secret).status_code == 400
    assert "coordinator.deactivated" in actions(app, trust, colleague_id)


def test_a_lead_cannot_deactivate_themselves(app, lead, trust):
    client, lead_id = lead
    path = f"{team(trust)}{lead_id}"
    response = post_form(client, path + "/deactivate", {}, form_page=path)
    assert response.status_code == 400 and member(app, trust, lead_id).active


def test_resetting_two_factor_signs_them_out_and_they_set_it_up_again(
        app, lead, trust, make_coordinator):
    client, _ = lead
    colleague_id, email, secret = make_coordinator()
    colleague = app.test_client()
    sign_in(colleague, trust, email, secret)
    path = f"{team(trust)}{colleague_id}"
    assert post_form(client, path + "/reset-two-factor", {}, form_page=path).status_code == 302
    assert colleague.get(f"/trusts/{trust.slug}/coordinator/").status_code == 302
    assert member(app, trust, colleague_id).totp_secret is None
    response = sign_in_password(app.test_client(), trust, email)
    assert response.headers["Location"].endswith("/set-up-two-factor")
    assert "coordinator.two_factor_reset" in actions(app, trust, colleague_id)


def test_another_trusts_team_pages_are_closed_to_this_trusts_lead(app, lead, make_trust):
    client, lead_id = lead
    other = make_trust()
    for path in ("", "invite", str(lead_id)):
        response = client.get(team(other) + path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_an_unknown_member_id_is_a_404(lead, trust):
    client, _ = lead
    assert client.get(f"{team(trust)}987654321").status_code == 404


def test_an_empty_invitation_form_asks_for_each_field_in_page_order(lead, trust):
    client, _ = lead
    response = post_form(client, team(trust) + "invite",
                         {"display_name": " ", "email": "", "role": ""})
    body = " ".join(response.get_data(as_text=True).split())
    messages = ["Enter their name", "Enter an email address", "Select a role"]
    positions = [body.find(f"> {message} <") for message in messages]
    assert response.status_code == 400 and -1 not in positions and positions == sorted(positions)


def test_the_invitation_is_emailed_through_the_trusts_outbox(app, lead, trust):
    from tenants.notifications.models import OutboxMessage

    client, _ = lead
    invite(client, trust, "emailed@trust.example", name="Emailed Person")
    link = invitation_link(client, trust)
    with app.app_context(), tenant_context(trust):
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == "coordinator_invitation",
            OutboxMessage.recipient_email == "emailed@trust.example")).one()
    assert message.channel == "email" and link in message.body_text
    assert "expires in 3 days" in message.body_text and "Lead" in message.body_text


def test_removing_a_team_member_asks_for_confirmation_first(app, lead, trust,
                                                            make_coordinator):
    client, _ = lead
    colleague_id, _, _ = make_coordinator()
    path = f"{team(trust)}{colleague_id}"
    asked = post_form(client, path + "/deactivate", {}, form_page=path)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "from the team?" in page
    assert "can no longer sign in" in page and "reactivate" in page
    assert member(app, trust, colleague_id).active, "nothing changed yet"
    done = post_form(client, path + "/deactivate", {"confirmed": "yes"}, form_page=path)
    assert done.status_code == 302 and not member(app, trust, colleague_id).active
