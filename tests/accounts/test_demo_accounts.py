"""The demo coordinators can still sign in after `make run`, two-factor included (demo only)."""

from __future__ import annotations

import json
import time

import pyotp
import pytest
from flask.testing import CliRunner

from accounts.conftest import sign_in
from peerpath import demo
from peerpath.cli import main
from peerpath.tenancy import find_tenant


@pytest.fixture(scope="module")
def seeded(app, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo-credentials.json"
    with app.app_context():
        logins = demo.seed(path)
    return path, logins


def test_the_seed_prints_each_demo_coordinators_two_factor_key(seeded):
    path, logins = seeded
    saved = json.loads(path.read_text())
    coordinators = [login for login in logins if "/coordinator/" in login["where"]]
    assert len(coordinators) == 2
    for login in coordinators:
        assert login["totp_secret"] == saved["totp_secrets"][login["email"]]
        assert login["otpauth"].startswith("otpauth://totp/PeerPath%20demo")
        assert f"secret={login['totp_secret']}" in login["otpauth"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_demo_coordinator_signs_in_with_the_printed_password_and_key(app, seeded):
    _, logins = seeded
    login = next(entry for entry in logins if "/leicestershire/coordinator/" in entry["where"])
    with app.app_context():
        tenant = find_tenant("leicestershire")
    client = app.test_client()
    response = sign_in(client, tenant, login["email"], login["totp_secret"], login["password"])
    assert response.status_code == 302
    assert client.get("/trusts/leicestershire/coordinator/").status_code == 200


def test_seeding_again_keeps_the_same_passwords_and_keys(app, seeded):
    path, logins = seeded
    with app.app_context():
        again = demo.seed(path)
    assert again == logins


def test_demo_codes_prints_the_current_code_of_each_demo_account(seeded):
    path, logins = seeded
    result = CliRunner().invoke(main, ["demo", "codes", "--credentials", str(path)])
    assert result.exit_code == 0, result.output
    for login in logins:
        if "totp_secret" in login:
            totp = pyotp.TOTP(login["totp_secret"])
            assert f"{login['email']}" in result.output
            assert totp.now() in result.output or totp.at(time.time() - 30) in result.output
