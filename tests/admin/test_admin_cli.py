"""`peerpath admins create|list`: how the first platform admin of a deployment comes to be."""

from __future__ import annotations

import re

from accounts.helpers import post_form
from sqlalchemy import select

from admin.conftest import new_admin_email
from peerpath.admin.models import platform_session
from peerpath.models import PlatformAdmin, PlatformAuditEntry


def test_a_created_admin_gets_a_password_once_and_must_set_up_two_factor(cli, client, app):
    email = new_admin_email()
    result = cli("admins", "create", email)
    assert result.exit_code == 0, result.output
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    assert len(password) >= 20

    signed = post_form(client, "/admin/sign-in", {"email": email, "password": password})
    assert signed.headers["Location"].endswith("/admin/sign-in/set-up-two-factor")
    assert client.get("/admin/trusts").status_code == 302  # not until two-factor is set up

    listed = cli("admins", "list")
    assert f"{email}\ttwo-factor not set up yet\tnever signed in" in listed.output
    with app.app_context(), platform_session() as session:
        entry = session.scalars(select(PlatformAuditEntry).where(
            PlatformAuditEntry.action == "admin.created",
            PlatformAuditEntry.target == email)).one()
        stored = session.scalars(select(PlatformAdmin.password_hash).where(
            PlatformAdmin.email == email)).one()
    assert entry.actor == "cli" and stored.startswith("$argon2id$") and password not in stored


def test_an_address_already_taken_or_a_short_password_is_refused_and_changes_nothing(
        cli, app):
    email = new_admin_email()
    assert cli("admins", "create", email).exit_code == 0
    again = cli("admins", "create", email.upper())
    assert again.exit_code == 1 and "already a platform admin" in again.output

    runner = app.test_cli_runner()
    from peerpath.cli import main

    short = runner.invoke(main, ["admins", "create", new_admin_email(), "--password-stdin"],
                          input="too short\n")
    assert short.exit_code == 1 and "at least 12 characters" in short.output
    with app.app_context(), platform_session() as session:
        same = session.scalars(select(PlatformAdmin.id).where(
            PlatformAdmin.email.ilike(email))).all()
    assert len(same) == 1
