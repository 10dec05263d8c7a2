"""TOTP enrolment and verification, replay protection, recovery codes, secrets at rest."""

from __future__ import annotations

import secrets
import time

import pyotp
import pytest

from peerpath import twofactor
from peerpath.crypto import DecryptionError
from peerpath.tenancy import tenant_context

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def user_id() -> int:
    return secrets.randbelow(10**9)


def test_a_new_secret_is_160_bits_of_base32():
    secret = twofactor.new_secret()
    assert len(secret) == 32 and pyotp.TOTP(secret).now().isdigit()
    assert secret != twofactor.new_secret()


def test_the_provisioning_uri_names_the_issuer_and_account():
    uri = twofactor.provisioning_uri(SECRET, "lead@trust.example", "PeerPath: Test")
    assert uri.startswith("otpauth://totp/PeerPath%3A%20Test:lead%40trust.example?")
    assert f"secret={SECRET}" in uri


def test_the_qr_code_is_inline_svg_markup_without_script():
    svg = twofactor.qr_svg(twofactor.provisioning_uri(SECRET, "a@b.example"))
    assert str(svg).startswith('<svg role="img" ') and "<title>" in svg
    assert "<script" not in svg and "xmlns" not in svg and "<?xml" not in svg


def test_codes_from_the_step_either_side_are_accepted_and_older_ones_are_not():
    secret, now = twofactor.new_secret(), time.time()
    totp = pyotp.TOTP(secret)
    step = int(now // 30)
    assert twofactor.matching_step(secret, totp.at(now), at=now) == step
    assert twofactor.matching_step(secret, totp.at(now - 30), at=now) == step - 1
    assert twofactor.matching_step(secret, totp.at(now + 30), at=now) == step + 1
    assert twofactor.matching_step(secret, totp.at(now - 90), at=now) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x", "\x00" * 6])
def test_malformed_codes_never_match(code):
    assert twofactor.matching_step(twofactor.new_secret(), code) is None


def test_a_code_may_be_typed_with_spaces():
    secret = twofactor.new_secret()
    code = pyotp.TOTP(secret).now()
    assert twofactor.matching_step(secret, f" {code[:3]} {code[3:]} ") is not None


def test_a_replayed_code_is_refused(app, user_id):
    secret = twofactor.new_secret()
    code = pyotp.TOTP(secret).now()
    with app.app_context():
        assert twofactor.verify_code("trust", "t-replay", user_id, secret, code)
        assert not twofactor.verify_code("trust", "t-replay", user_id, secret, code)


def test_a_code_older_than_the_last_one_used_is_refused(app, user_id):
    secret, now = twofactor.new_secret(), time.time()
    totp = pyotp.TOTP(secret)
    with app.app_context():
        assert twofactor.verify_code("trust", "t-order", user_id, secret, totp.at(now))
        if totp.at(now - 30) != totp.at(now):
            assert not twofactor.verify_code("trust", "t-order", user_id, secret,
                                             totp.at(now - 30))


def test_the_used_step_is_remembered_per_user_realm_and_trust(app, user_id):
    secret = twofactor.new_secret()
    code = pyotp.TOTP(secret).now()
    with app.app_context():
        assert twofactor.verify_code("trust", "t-one", user_id, secret, code)
        assert twofactor.verify_code("trust", "t-two", user_id, secret, code)
        assert twofactor.verify_code("platform", "platform", user_id, secret, code)
        assert twofactor.verify_code("trust", "t-one", user_id + 1, secret, code)


def test_ten_recovery_codes_all_different_and_stored_only_as_salted_hashes():
    codes = twofactor.new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    hashes = [twofactor.hash_recovery_code(code) for code in codes]
    assert all(code.replace("-", "") not in hashed for code, hashed in zip(codes, hashes,
                                                                           strict=True))
    assert twofactor.hash_recovery_code(codes[0]) != hashes[0]  # salted


def test_a_recovery_code_is_found_however_it_is_typed_and_a_wrong_one_is_not():
    codes = twofactor.new_recovery_codes(3)
    stored = [(i, twofactor.hash_recovery_code(code)) for i, code in enumerate(codes)]
    assert twofactor.find_recovery_code(stored, codes[1].upper().replace("-", " ")) == 1
    assert twofactor.find_recovery_code(stored, "aaaaa-aaaaa") is None
    assert twofactor.find_recovery_code(stored, "") is None
    assert twofactor.find_recovery_code(stored, "x" * 5000) is None


def test_secrets_are_sealed_with_the_trusts_key_and_cannot_move_to_another_trust(
        app, make_trust):
    mine, other = make_trust(), make_trust()
    secret = twofactor.new_secret()
    with tenant_context(mine, app=app):
        sealed = twofactor.encrypt_secret(secret, realm="trust", scope=mine.slug)
        assert sealed.startswith("field:") and secret not in sealed
        assert twofactor.decrypt_secret(sealed, realm="trust", scope=mine.slug) == secret
    with tenant_context(other, app=app), pytest.raises(DecryptionError):
        twofactor.decrypt_secret(sealed, realm="trust", scope=other.slug)
    with app.app_context():
        admin = twofactor.encrypt_secret(secret, realm="platform", scope="platform")
        assert admin.startswith("platform:") and secret not in admin
        assert twofactor.decrypt_secret(admin, realm="platform", scope="platform") == secret
        # secrets stored before sealing existed are still read
        assert twofactor.decrypt_secret("plain:ABC", realm="trust", scope="x") == "ABC"


def test_the_cipher_can_be_swapped_for_per_trust_keys(app):
    seen = []

    def encrypt(text, realm, scope):
        seen.append((realm, scope))
        return f"k-{scope}:{text[::-1]}"

    def decrypt(stored, realm, scope):
        return stored.split(":", 1)[1][::-1]

    original = dict(twofactor._cipher)
    twofactor.set_cipher(encrypt, decrypt)
    try:
        sealed = twofactor.encrypt_secret("SECRET", realm="trust", scope="leeds")
        assert sealed == "k-leeds:TERCES" and seen == [("trust", "leeds")]
        assert twofactor.decrypt_secret(sealed, realm="trust", scope="leeds") == "SECRET"
    finally:
        twofactor.set_cipher(original["encrypt"], original["decrypt"])
