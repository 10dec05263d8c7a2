"""Sign-in throttling slows guessing down but never lets an attacker lock the real person out."""

from __future__ import annotations

import secrets

from accounts.conftest import sign_in, sign_in_password
from peerpath.throttle import PER_ACCOUNT, PER_ADDRESS, SignInThrottle


def address() -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"10.{secrets.randbelow(250)}."
                                            f"{secrets.randbelow(250)}.{secrets.randbelow(250)}"}}


def fail_from(app, where: dict, account: str, times: int, scope: str = "some-trust") -> None:
    with app.test_request_context("/", **where):
        throttle = SignInThrottle("trust", scope, account)
        for _ in range(times):
            throttle.failed()


def retry_after(app, where: dict, account: str, scope: str = "some-trust") -> int | None:
    with app.test_request_context("/", **where):
        return SignInThrottle("trust", scope, account).retry_after()


def test_five_wrong_passwords_from_one_address_block_only_that_address(
        app, trust, make_coordinator):
    _, email, secret = make_coordinator()
    attacker, person = app.test_client(), app.test_client()
    attacker_address, person_address = address(), address()
    for _ in range(5):
        response = sign_in_password(attacker, trust, email, "guess", **attacker_address)
        assert response.status_code == 400
    blocked = sign_in_password(attacker, trust, email, **attacker_address)  # even the right one
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 60
    assert "You have tried too many times" in blocked.get_data(as_text=True)
    assert sign_in(person, trust, email, secret, **person_address).status_code == 302
    assert person.get(f"/trusts/{trust.slug}/coordinator/", **person_address).status_code == 200


def test_one_address_spraying_many_accounts_is_stopped_whatever_account_it_tries_next(app):
    spraying, elsewhere = address(), address()
    for n in range(PER_ADDRESS.amount):
        fail_from(app, spraying, f"victim-{n}@trust.example", 1)
    assert retry_after(app, spraying, "someone-new@trust.example")
    assert retry_after(app, elsewhere, "someone-new@trust.example") is None


def test_an_account_under_attack_from_many_addresses_is_slowed_not_locked(
        app, trust, make_coordinator):
    _, email, secret = make_coordinator()
    for _ in range(PER_ACCOUNT.amount):
        fail_from(app, address(), email, 1, scope=trust.slug)
    person_address = address()
    assert retry_after(app, person_address, email, scope=trust.slug) is None
    assert sign_in(app.test_client(), trust, email, secret, **person_address).status_code == 302

    # While under attack, each address gets one try a minute at the account.
    slowed = address()
    fail_from(app, slowed, email, 1, scope=trust.slug)
    wait = retry_after(app, slowed, email, scope=trust.slug)
    assert wait is not None and wait <= 61


def test_counters_are_kept_per_trust_and_realm(app):
    where = address()
    fail_from(app, where, "lead@trust.example", 5, scope="trust-one")
    assert retry_after(app, where, "lead@trust.example", scope="trust-one")
    assert retry_after(app, where, "lead@trust.example", scope="trust-two") is None


def test_redis_keys_hold_pseudonyms_not_addresses_or_emails(app):
    where = address()
    fail_from(app, where, "private.person@trust.example", 1)
    ip = where["environ_base"]["REMOTE_ADDR"]
    keys = [k.decode() for k in app.extensions["redis"].scan_iter("*sign-in*")]
    assert keys and not any(ip in k or "private.person" in k for k in keys)
