"""Configuration from the environment, and the `peerpath` command."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peerpath.config import ConfigError, derived_app_url, load_config

BIN = Path(sys.executable).parent
BASE_ENV = {"DATABASE_URL": "postgresql://o:pw@db.example:5432/pp", "REDIS_URL": "redis://r/0",
            "PEERPATH_DATA_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}


def test_production_refuses_to_start_without_its_secrets():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({**BASE_ENV, "PEERPATH_ENV": "production"})
    with pytest.raises(ConfigError, match="at least 32"):
        load_config({**BASE_ENV, "PEERPATH_ENV": "production", "SECRET_KEY": "short",
                     "APP_DATABASE_URL": "postgresql://peerpath_app:x@db/pp",
                     "PEERPATH_PUBLIC_URL": "https://peerpath.example"})


def test_production_sets_secure_cookies_and_uses_the_given_app_role():
    cfg = load_config({**BASE_ENV, "PEERPATH_ENV": "production", "SECRET_KEY": "k" * 40,
                       "APP_DATABASE_URL": "postgresql://peerpath_app:x@db.example/pp",
                       "PEERPATH_PUBLIC_URL": "https://peerpath.example"})
    assert cfg["SESSION_COOKIE_SECURE"] and cfg["SESSION_COOKIE_HTTPONLY"]
    assert cfg["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert cfg["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://peerpath_app:x@db.example/pp"


def test_missing_service_urls_say_how_to_get_them():
    with pytest.raises(ConfigError, match="make test"):
        load_config({"PEERPATH_ENV": "development"})
    with pytest.raises(ConfigError, match="PEERPATH_ENV"):
        load_config({**BASE_ENV, "PEERPATH_ENV": "staging"})


def test_the_derived_app_role_url_keeps_the_server_and_changes_the_user():
    url = derived_app_url(BASE_ENV["DATABASE_URL"])
    assert url.startswith("postgresql://peerpath_app:") and url.endswith("@db.example:5432/pp")
    password = url.split("@")[0].rsplit(":", 1)[1]
    assert password != "pw" and len(password) == 32
    assert derived_app_url(BASE_ENV["DATABASE_URL"]) == url  # stable across processes


def test_peerpath_help_lists_every_command_without_a_database():
    env = {"PATH": str(BIN), "HOME": "/tmp"}
    result = subprocess.run([str(BIN / "peerpath"), "--help"], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    for command in ("services", "db", "trusts", "demo", "worker", "dev"):
        assert command in result.stdout


def test_trusts_create_list_suspend_and_resume(cli, owner_conn):
    from tests.conftest import unique_slug

    slug = unique_slug("cli")
    created = cli("trusts", "create", slug, "--name", "Command Line NHS Trust",
                  "--host", f"{slug}.peerpath.test")
    assert created.exit_code == 0, created.output
    assert f"trust_{slug.replace('-', '_')}" in created.output
    listed = json.loads(cli("trusts", "list", "--json").output)
    mine = next(t for t in listed if t["slug"] == slug)
    assert mine["status"] == "active" and mine["hosts"] == [f"{slug}.peerpath.test"]
    assert mine["version"]
    assert cli("trusts", "suspend", slug).exit_code == 0
    status = owner_conn.execute("SELECT status FROM platform.trusts WHERE slug = %s",
                                (slug,)).fetchone()[0]
    assert status == "suspended"
    assert cli("trusts", "resume", slug).exit_code == 0
    duplicate = cli("trusts", "create", slug, "--name", "Again")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    bad = cli("trusts", "create", "DROP TABLE", "--name", "Bad")
    assert bad.exit_code != 0 and "not a valid trust slug" in bad.output


def test_request_logs_are_json_with_trust_and_request_id_and_no_query_strings(
        client, make_trust, caplog):
    from peerpath.log import JsonFormatter

    tenant = make_trust()
    with caplog.at_level(logging.INFO, logger="peerpath.request"):
        client.get(f"/trusts/{tenant.slug}/?email=someone@private.example",
                   headers={"X-Request-Id": "req-123"})
    records = [r for r in caplog.records if r.name == "peerpath.request"]
    entry = json.loads(JsonFormatter().format(records[-1]))
    assert entry["trust"] == tenant.slug and entry["request_id"] == "req-123"
    assert entry["path_template"] == "/trusts/<trust_slug>/"
    assert "private.example" not in json.dumps(entry)


def test_the_log_formatter_drops_extras_it_does_not_know():
    from peerpath.log import JsonFormatter

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent", None, None)
    record.email = "someone@private.example"
    record.trust = "leicestershire"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["trust"] == "leicestershire" and "email" not in entry


def test_a_no_op_trusts_upgrade_never_builds_the_web_app(app):
    # It runs on every deploy: it should cost its query, not the app's imports.
    script = ("import sys; from peerpath.cli import main\n"
              "try:\n    main(['trusts', 'upgrade'])\nexcept SystemExit as done:\n"
              "    print('exit', done.code)\n"
              "print('app imported' if 'peerpath.app' in sys.modules else 'app not imported')")
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert "nothing to do" in out.stdout and "exit 0" in out.stdout, out.stdout + out.stderr
    assert "app not imported" in out.stdout


def test_peerpath_services_commands_work_before_any_database_exists():
    # `services up|env` are how a user gets DATABASE_URL: they cannot need it themselves.
    env = {"PATH": str(BIN), "HOME": "/tmp"}
    result = subprocess.run([str(BIN / "peerpath"), "services", "env"], capture_output=True,
                            text=True, env=env, timeout=60)
    output = result.stdout + result.stderr
    assert "ConfigError" not in output and "Traceback" not in output, output
    assert "DATABASE_URL=" in result.stdout or "no local services running" in output, output
