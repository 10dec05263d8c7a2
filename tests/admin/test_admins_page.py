"""The console's Admins page: who the platform admins are, adding one, deactivating one."""

from __future__ import annotations

import re

import pyotp
from accounts.helpers import post_form
from sqlalchemy import select

from admin.conftest import ADMIN_PASSWORD, new_admin_email, sign_in_admin
from peerpath.admin import accounts, tokens
from peerpath.admin.models import platform_session
from peerpath.models import PlatformAdmin, PlatformAuditEntry


def _audit(app, action: str, target: str) -> list[PlatformAuditEntry]:
    with app.app_context(), platform_session() as session:
        return list(session.scalars(select(PlatformAuditEntry).where(
            PlatformAuditEntry.action == action, PlatformAuditEntry.target == target)))


def _stored(app, email: str) -> PlatformAdmin:
    with app.app_context(), platform_session() as session:
        return session.scalars(select(PlatformAdmin).where(PlatformAdmin.email == email)).one()


def _row(page: str, email: str) -> str:
    """The table row of one admin, as its cells' words: "email | Set up | ..."."""
    table = page[page.index("<caption"):]  # the header names the signed-in admin too
    for row in table.split("<tr")[1:]:
        if email in row:
            cells = re.split(r"<t[dh][^>]*>", row.split("</tr")[0])[1:]
            words = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
            return " | ".join(words) + " |"
    raise AssertionError(f"no row for {email}")


def _deactivate(client, admin_id: int, **extra):
    return post_form(client, f"/admin/admins/{admin_id}/deactivate", extra,
                     form_page="/admin/admins")


def test_the_page_lists_every_admin_with_two_factor_last_sign_in_and_status(
        admin_client, make_admin):
    not_enrolled, _ = make_admin(enrolled=False)
    page = admin_client.get("/admin/admins")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'href="/admin/admins" aria-current="page">(<[^>]+>)*Admins<', text), \
        "in the header, marked as the current area"
    mine, theirs = _row(text, admin_client.admin_email), _row(text, not_enrolled)
    assert "| Set up |" in mine and "This is you" in mine and "| Active |" in mine
    assert "Never" not in mine, "the signed-in admin has a last sign-in"
    assert "| Not set up yet | Never | Active | Deactivate |" in theirs

def test_adding_an_admin_shows_their_password_once_and_is_audited(admin_client, client, app):
    email = new_admin_email()
    added = post_form(admin_client, "/admin/admins", {"email": f"  {email} "})
    text = added.get_data(as_text=True)
    assert added.status_code == 200
    password = re.search(r'<code id="new-admin-password">([^<]+)</code>', text).group(1)
    assert len(password) >= 20
    assert admin_client.get("/admin/admins").get_data(as_text=True).count(password) == 0
    signed = post_form(client, "/admin/sign-in", {"email": email, "password": password})
    assert signed.headers["Location"].endswith("/admin/sign-in/set-up-two-factor")
    [entry] = _audit(app, "admin.created", email)
    assert entry.actor == admin_client.admin_email and password not in str(entry.detail)


def test_a_bad_or_taken_address_is_an_error_summary_and_adds_no_one(admin_client, app):
    for bad in ("", "not an address"):
        response = post_form(admin_client, "/admin/admins", {"email": bad})
        text = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "There is a problem" in text and '<title>Error: ' in text
        assert 'href="#email"' in text
    taken = post_form(admin_client, "/admin/admins",
                      {"email": admin_client.admin_email.upper()})
    assert taken.status_code == 400 and "already a platform admin" in taken.get_data(
        as_text=True)
    with app.app_context(), platform_session() as session:
        assert session.scalars(select(PlatformAdmin.id).where(
            PlatformAdmin.email.ilike(admin_client.admin_email))).all() == [
            admin_client.admin_id]


def test_deactivating_asks_first_then_locks_them_out_and_is_audited(admin_client, app):
    email = new_admin_email()
    secret = pyotp.random_base32()
    with app.app_context():
        other = accounts.create_admin(email, ADMIN_PASSWORD)
        accounts.complete_enrolment(other.id, secret)
        _, token_text = tokens.issue(other.id, "their script", 30)
    their_client = app.test_client()
    sign_in_admin(their_client, email, secret)
    assert their_client.get("/admin/trusts").status_code == 200

    asked = _deactivate(admin_client, other.id)
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Deactivate {email}?" in text
    assert "Yes, deactivate this admin" in text
    assert _stored(app, email).active, "nothing changes before the confirmation"

    done = _deactivate(admin_client, other.id, confirmed="yes")
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/admins")
    assert not _stored(app, email).active
    listing = admin_client.get("/admin/admins").get_data(as_text=True)
    assert "| Deactivated |" in _row(listing, email)
    assert "Deactivate |" not in _row(listing, email), "no button for a deactivated admin"
    [entry] = _audit(app, "admin.deactivated", email)
    assert entry.actor == admin_client.admin_email

    assert their_client.get("/admin/trusts").status_code == 302, "their session stops"
    with app.app_context():
        assert accounts.check_password(email, ADMIN_PASSWORD) is None
        assert tokens.verify(token_text) is None
    again = _deactivate(admin_client, other.id, confirmed="yes")
    assert again.status_code == 409 and "already deactivated" in again.get_data(as_text=True)
    assert len(_audit(app, "admin.deactivated", email)) == 1


def test_an_admin_cannot_deactivate_themselves(admin_client, app):
    refused = _deactivate(admin_client, admin_client.admin_id, confirmed="yes")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "There is a problem" in text and "cannot deactivate yourself" in text
    assert _stored(app, admin_client.admin_email).active
    assert _audit(app, "admin.deactivated", admin_client.admin_email) == []
    assert admin_client.get("/admin/admins").status_code == 200


def test_an_unknown_admin_is_a_404(admin_client):
    assert _deactivate(admin_client, 10**12, confirmed="yes").status_code == 404
