"""The first run of the `peerpath` command: on a database that has never been set up, each
command says in one line what to run first, never a traceback; `trusts create` can invite
the first lead coordinator, as the console and the API do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tests.conftest import _with_database, unique_slug

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def empty_database_url(database_url):
    """A database that exists and is empty: what a new user has before `peerpath db upgrade`."""
    name = "peerpath_first_run"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield _with_database(database_url, name)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def peerpath(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "peerpath"), *args], capture_output=True, text=True,
                          env={**os.environ, "LOG_LEVEL": "WARNING", **env}, timeout=120)


@pytest.mark.parametrize("command", [("trusts", "list"), ("trusts", "upgrade"),
                                     ("trusts", "create", "first-run", "--name", "First"),
                                     ("admins", "list")])
def test_a_database_never_set_up_gets_one_line_saying_what_to_run(empty_database_url,
                                                                   command):
    result = peerpath(*command, DATABASE_URL=empty_database_url)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    assert [line for line in output.splitlines() if line.strip()] == [
        "Error: This database has not been set up yet: run `peerpath db upgrade` first "
        "(`make run` does it for you)."]


def test_demo_codes_before_any_demo_data_says_what_to_run(tmp_path):
    result = peerpath("demo", "codes", "--credentials", str(tmp_path / "none.json"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "run `make run`" in result.stderr


def test_no_database_url_at_all_is_one_line_too():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run([str(BIN / "peerpath"), "trusts", "list"], capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "DATABASE_URL, REDIS_URL not set" in result.stderr


def test_trusts_create_can_invite_the_first_lead(app, cli):
    from tenants.coordinators.models import Coordinator

    slug = unique_slug("lead")
    created = cli("trusts", "create", slug, "--name", "Lead NHS Trust",
                  "--lead-email", "First.Lead@trust.example")
    assert created.exit_code == 0, created.output
    assert "invited First.Lead@trust.example" in created.output
    with tenant_context(slug, app):
        [lead] = db.session.scalars(select(Coordinator)).all()
        assert lead.role == "lead" and lead.password_hash is None
        assert lead.email.lower() == "first.lead@trust.example"
    refused = cli("trusts", "create", unique_slug("lead"), "--name", "X", "--lead-email", "no")
    assert refused.exit_code != 0 and "Enter an email address" in refused.output
