"""Per-trust data keys wrapped by the platform key; encrypted fields bound to their trust."""

from __future__ import annotations

import pytest
from psycopg import sql

from peerpath import crypto
from peerpath.config import ConfigError, load_config
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.retention.models import ErasureRecord
from tests.dp_support import onboard_with_staff

SECRET = "I was in hospital in 2019 and the peer worker there changed everything"


@pytest.fixture(scope="module")
def two_trusts(app):
    return onboard_with_staff(app, "enc"), onboard_with_staff(app, "enc2")


def encrypt_in(app, tenant, text, purpose=""):
    with tenant_context(tenant, app=app):
        return crypto.encrypt_field(tenant, text, purpose)


def decrypt_in(app, tenant, token, purpose=""):
    with tenant_context(tenant, app=app):
        return crypto.decrypt_field(tenant, token, purpose)


def test_a_field_round_trips_and_its_token_reveals_nothing(app, two_trusts):
    trust = two_trusts[0]
    token = encrypt_in(app, trust, SECRET)
    assert token.startswith("pp1.") and "hospital" not in token
    assert token != encrypt_in(app, trust, SECRET), "a fresh nonce every time"
    assert decrypt_in(app, trust, token) == SECRET


def test_a_ciphertext_moved_to_another_trust_does_not_decrypt(app, two_trusts):
    token = encrypt_in(app, two_trusts[0], SECRET)
    with pytest.raises(crypto.DecryptionError):
        decrypt_in(app, two_trusts[1], token)


def test_a_ciphertext_moved_to_another_column_or_tampered_with_does_not_decrypt(app, two_trusts):
    trust = two_trusts[0]
    token = encrypt_in(app, trust, SECRET, "applications.narrative")
    with pytest.raises(crypto.DecryptionError):
        decrypt_in(app, trust, token, "applications.health")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (flipped, "pp1.x.y", "plain text", ""):
        with pytest.raises(crypto.DecryptionError):
            decrypt_in(app, trust, bad, "applications.narrative")


def test_each_trust_has_its_own_wrapped_key_made_at_onboarding(app, two_trusts, owner_conn):
    wrapped = []
    for trust in two_trusts:
        rows = owner_conn.execute(sql.SQL("SELECT wrapped_key FROM {}.data_keys").format(
            sql.Identifier(trust.schema))).fetchall()
        assert len(rows) == 1
        wrapped.append(bytes(rows[0][0]))
    assert wrapped[0] != wrapped[1]
    platform_key = app.config["DATA_KEY"]
    keys = [crypto.unwrap_key(platform_key, t.slug, w) for t, w in zip(two_trusts, wrapped,
                                                                       strict=True)]
    assert keys[0] != keys[1] and all(len(k) == 32 for k in keys)
    assert all(k not in w for k, w in zip(keys, wrapped, strict=True)), "stored wrapped only"
    with pytest.raises(crypto.DecryptionError):
        crypto.unwrap_key(platform_key, two_trusts[1].slug, wrapped[0])


def test_an_encrypted_column_is_stored_as_ciphertext_and_read_back_as_text(
        app, two_trusts, owner_conn):
    trust = two_trusts[0]
    with tenant_context(trust, app=app):
        entry = ErasureRecord(subject_ref="A9", erased_by="test", reason=SECRET, counts={})
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
    stored = owner_conn.execute(sql.SQL("SELECT reason FROM {}.erasure_records WHERE id = %s")
                                .format(sql.Identifier(trust.schema)), (entry_id,)).fetchone()[0]
    assert stored.startswith("pp1.") and "hospital" not in stored
    crypto.forget_keys(trust.slug)  # read back through a cold cache, as a new process would
    with tenant_context(trust, app=app):
        assert db.session.get(ErasureRecord, entry_id).reason == SECRET


def test_destroying_a_trusts_key_makes_its_ciphertexts_unreadable(app):
    trust = onboard_with_staff(app, "shred")
    token = encrypt_in(app, trust, SECRET)
    with tenant_context(trust, app=app):
        assert crypto.destroy_key(db.session, trust) == 1
        db.session.commit()
    with pytest.raises(crypto.DecryptionError):
        decrypt_in(app, trust, token)


def test_a_trust_without_a_key_gets_one_on_first_use(app, owner_conn):
    trust = onboard_with_staff(app, "lazy")
    owner_conn.execute(sql.SQL("DELETE FROM {}.data_keys").format(sql.Identifier(trust.schema)))
    crypto.forget_keys(trust.slug)
    token = encrypt_in(app, trust, SECRET)
    crypto.forget_keys(trust.slug)
    assert decrypt_in(app, trust, token) == SECRET
    count = owner_conn.execute(sql.SQL("SELECT count(*) FROM {}.data_keys").format(
        sql.Identifier(trust.schema))).fetchone()[0]
    assert count == 1


BASE = {"DATABASE_URL": "postgresql://o:pw@db.example/pp", "REDIS_URL": "redis://r/0",
        "SECRET_KEY": "k" * 40, "APP_DATABASE_URL": "postgresql://peerpath_app:x@db.example/pp",
        "PEERPATH_PUBLIC_URL": "https://peerpath.example"}  # required in production (issue 15)


def test_production_refuses_to_start_without_a_valid_platform_data_key():
    with pytest.raises(ConfigError, match="PEERPATH_DATA_KEY"):
        load_config({**BASE, "PEERPATH_ENV": "production"})
    for bad in ("not base64!", "c2hvcnQ="):
        with pytest.raises(ConfigError, match="PEERPATH_DATA_KEY"):
            load_config({**BASE, "PEERPATH_ENV": "production", "PEERPATH_DATA_KEY": bad})
    cfg = load_config({**BASE, "PEERPATH_ENV": "production",
                       "PEERPATH_DATA_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
    assert cfg["DATA_KEY"] == bytes(range(32))


def test_tests_derive_the_same_data_key_in_every_process():
    first = load_config({**BASE, "PEERPATH_ENV": "test"})["DATA_KEY"]
    assert first == load_config({**BASE, "PEERPATH_ENV": "test"})["DATA_KEY"]
    assert len(first) == 32
