"""Server-side sessions: sign-out, timeouts and "sign out everywhere" do not trust the cookie."""

from __future__ import annotations

import re
import time

import pytest
from flask import g

from accounts.conftest import sign_in
from accounts.helpers import cookie_value, post_form, session_record_key
from peerpath import sessions


def home(trust) -> str:
    return f"/trusts/{trust.slug}/coordinator/"


def is_anonymous(response) -> bool:
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_signed_in_coordinator_has_a_live_record_holding_only_ids(app, signed_in, trust):
    client, coordinator_id = signed_in
    key = session_record_key(client)
    assert re.fullmatch(rf"peerpath:session:trust:{trust.slug}:[A-Za-z0-9_-]{{43}}", key)
    record = app.extensions["redis"].hgetall(key)
    assert record[b"user_id"] == str(coordinator_id).encode()
    assert set(record) == {b"user_id", b"created", b"last_seen"}
    assert client.get(home(trust)).status_code == 200


def test_signing_in_again_rotates_the_session_id_and_drops_the_old_record(
        app, client, trust, make_coordinator):
    _, email, secret = make_coordinator()
    sign_in(client, trust, email, secret)
    first = session_record_key(client)
    sign_in(client, trust, email, secret)
    second = session_record_key(client)
    assert first != second
    assert not app.extensions["redis"].exists(first)
    assert app.extensions["redis"].exists(second)


def test_sign_out_kills_the_server_side_session_so_the_old_cookie_no_longer_works(
        app, signed_in, trust):
    client, _ = signed_in
    old_cookie = cookie_value(client, app)
    key = session_record_key(client)
    response = post_form(client, home(trust) + "sign-out", {}, form_page=home(trust))
    assert is_anonymous(response)
    assert not app.extensions["redis"].exists(key)

    replay = app.test_client()
    replay.set_cookie(app.config["SESSION_COOKIE_NAME"], old_cookie)
    assert is_anonymous(replay.get(home(trust)))


def test_an_idle_session_ends_after_30_minutes(app, signed_in, trust):
    client, _ = signed_in
    key = session_record_key(client)
    app.extensions["redis"].hset(key, "last_seen", int(time.time()) - 30 * 60 - 5)
    assert is_anonymous(client.get(home(trust)))
    assert not app.extensions["redis"].exists(key)


def test_activity_within_30_minutes_keeps_the_session_and_refreshes_last_seen(
        app, signed_in, trust):
    client, _ = signed_in
    key = session_record_key(client)
    app.extensions["redis"].hset(key, "last_seen", int(time.time()) - 29 * 60)
    assert client.get(home(trust)).status_code == 200
    assert int(app.extensions["redis"].hget(key, "last_seen")) >= int(time.time()) - 5


def test_a_session_ends_after_12_hours_however_active(app, signed_in, trust):
    client, _ = signed_in
    key = session_record_key(client)
    app.extensions["redis"].hset(key, mapping={"created": int(time.time()) - 12 * 3600 - 5,
                                               "last_seen": int(time.time())})
    assert is_anonymous(client.get(home(trust)))
    assert not app.extensions["redis"].exists(key)


def test_signing_out_everywhere_ends_every_session_of_that_person_only(
        app, trust, make_coordinator):
    _, email, secret = make_coordinator()
    _, other_email, other_secret = make_coordinator()
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    for client, address, key in ((laptop, email, secret), (phone, email, secret),
                                 (colleague, other_email, other_secret)):
        assert sign_in(client, trust, address, key).status_code == 302
    with laptop.session_transaction() as flask_session:
        user_id = int(flask_session["_user_id"].rsplit(":", 1)[1])
    with app.app_context():
        assert sessions.live_session_count("trust", trust.slug, user_id) == 2
        assert sessions.end_all_sessions("trust", trust.slug, user_id) == 2
    assert is_anonymous(laptop.get(home(trust)))
    assert is_anonymous(phone.get(home(trust)))
    assert colleague.get(home(trust)).status_code == 200


def test_a_session_of_trust_a_is_anonymous_at_trust_b_even_with_a_forged_user_id(
        app, signed_in, trust, make_trust):
    """The record must belong to the realm and trust asked about, whatever the cookie says."""
    client, coordinator_id = signed_in
    other = make_trust()
    assert is_anonymous(client.get(home(other)))
    assert client.get(home(trust)).status_code == 200  # still alive at its own trust
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = f"trust:{other.slug}:{coordinator_id}"
    assert is_anonymous(client.get(home(other)))


@pytest.mark.parametrize("realm, scope", [("platform", "platform"), ("trust", "some-trust")])
def test_the_api_serves_both_realms_and_checks_realm_scope_and_user(app, realm, scope):
    with app.test_request_context("/"):
        g.platform_realm = True
        sessions.start_session(realm, scope, 7)
        assert sessions.check(realm, scope, "7")
        assert not sessions.check(realm, scope, "8")
    with app.test_request_context("/"):
        sessions.start_session(realm, scope, 7)
        assert not sessions.check(realm, "elsewhere", "7")
        assert not sessions.check("trust" if realm == "platform" else "platform", scope, "7")
        sessions.end_session()
        assert not sessions.check(realm, scope, "7")


def test_a_pending_sign_in_counts_wrong_codes_and_ends_at_the_limit(app):
    with app.test_request_context("/"):
        sessions.begin_pending("trust", "some-trust", 3, stage="verify")
        assert sessions.pending("trust", "some-trust")["stage"] == "verify"
        assert sessions.pending("trust", "other-trust") is None
        for _ in range(sessions.PENDING_MAX_ATTEMPTS - 1):
            assert sessions.note_pending_failure("trust", "some-trust")
        assert not sessions.note_pending_failure("trust", "some-trust")
        assert sessions.pending("trust", "some-trust") is None
