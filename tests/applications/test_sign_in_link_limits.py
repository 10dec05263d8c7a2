"""The sign-in link limit counts per e-mail address and, loosely, per network: a drop-in
room on one Wi-Fi is not locked out; a limit reached says so in plain words and when to
try again."""

from __future__ import annotations

import re
import secrets

import pytest

from tests.applications.helpers import onboard_trust, post_form


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "limits", "Link Limits NHS Trust")


def network() -> dict:
    return {"REMOTE_ADDR": f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}."
                           f"{secrets.randbelow(250)}"}


def ask(app, trust, email: str, where: dict):
    client = app.test_client()
    client.environ_base.update(where)
    return post_form(client, f"/trusts/{trust.slug}/account/sign-in", {"email": email})


def test_a_drop_in_room_on_one_wifi_is_not_locked_out(app, trust):
    room = network()
    for person in range(30):  # thirty people, each asking once, more than today's ten
        response = ask(app, trust, f"person-{person}@applicant.example", room)
        assert response.status_code == 302, person


def test_one_address_asking_too_often_is_told_when_to_try_again(app, trust):
    email = f"often-{secrets.token_hex(3)}@applicant.example"
    for _ in range(3):
        assert ask(app, trust, email, network()).status_code == 302
    refused = ask(app, trust, email, network())  # another network: the address counts
    body = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert re.search(r"Try again in \d+ minutes? \(after \d{1,2}(:\d\d)?(am|pm)\)", body) or \
        re.search(r"Try again in \d+ minutes? \(after (midday|midnight)\)", body)
    assert "<title>Error: " in body and 'href="#email"' in body
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert ask(app, trust, f"other-{secrets.token_hex(3)}@applicant.example",
               network()).status_code == 302, "someone else is unaffected"


def test_a_network_asking_for_very_many_addresses_is_slowed(app, trust):
    crowd = network()
    statuses = [ask(app, trust, f"spray-{n}@applicant.example", crowd).status_code
                for n in range(101)]
    assert statuses[:100] == [302] * 100 and statuses[100] == 429
