"""Database role limits and cookie flags."""

from __future__ import annotations

from sqlalchemy import text

from peerpath.config import APP_ROLE, load_config
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tests.dp_support import STAFF_PASSWORD, onboard_with_staff, staff_email
from tests.test_coordinator_sign_in import sign_in


def test_the_app_role_has_statement_and_idle_transaction_timeouts(app, owner_conn):
    settings = dict(item.split("=", 1) for item in owner_conn.execute(
        "SELECT unnest(rolconfig) FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchall()
        for item in item)
    assert settings["statement_timeout"] == f"{app.config['DB_STATEMENT_TIMEOUT_MS']}ms"
    assert settings["idle_in_transaction_session_timeout"] == \
        f"{app.config['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS']}ms"
    role = owner_conn.execute("SELECT rolsuper, rolinherit, rolcreaterole, rolcreatedb "
                              "FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
    assert role == (False, False, False, False)


def test_the_timeouts_apply_inside_a_tenant_transaction(app):
    tenant = onboard_with_staff(app, "limits")
    with tenant_context(tenant, app=app):
        shown = {name: db.session.execute(text(f"SHOW {name}")).scalar_one()
                 for name in ("statement_timeout", "idle_in_transaction_session_timeout")}
    assert shown == {"statement_timeout": "15s", "idle_in_transaction_session_timeout": "30s"}


def test_production_cookies_are_secure_http_only_and_same_site():
    cfg = load_config({"PEERPATH_ENV": "production", "DATABASE_URL": "postgresql://o@db/pp",
                       "REDIS_URL": "redis://r/0", "SECRET_KEY": "k" * 40,
                       "APP_DATABASE_URL": "postgresql://peerpath_app:x@db/pp",
                       "PEERPATH_PUBLIC_URL": "https://peerpath.example",
                       "PEERPATH_DATA_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"]
    assert cfg["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert cfg["REMEMBER_COOKIE_SECURE"] and cfg["REMEMBER_COOKIE_HTTPONLY"]
    assert cfg["SESSION_COOKIE_NAME"].startswith("__Host-")


def test_the_session_cookie_set_at_sign_in_carries_the_production_flags(app, monkeypatch):
    tenant = onboard_with_staff(app, "cookie")
    for key, value in {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_NAME": "__Host-peerpath",
                       "SESSION_COOKIE_HTTPONLY": True, "SESSION_COOKIE_SAMESITE": "Lax"}.items():
        monkeypatch.setitem(app.config, key, value)
    client = app.test_client()
    response = sign_in(client, tenant, staff_email("lead"), STAFF_PASSWORD)
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("__Host-peerpath="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite", "path"} <= flags
    assert "domain" not in flags and "SameSite=Lax" in cookie
