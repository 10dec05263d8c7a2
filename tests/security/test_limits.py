"""Limits that are set are the limits that hold: request size, API rate limits from the
environment, slow clients under gunicorn as `make run` starts it, and an access log that
keeps no token."""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from peerpath.accesslog import redact
from peerpath.config import load_config
from peerpath.devserver import gunicorn_command
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens import service as tokens
from tenants.coordinators.service import create_coordinator
from tests.applications.helpers import onboard_trust

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE_ENV = {"DATABASE_URL": "postgresql://o:pw@db.example:5432/pp", "REDIS_URL": "redis://r/0"}


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "limits", "Limits NHS Trust")


def test_a_ten_megabyte_body_is_refused_with_a_413_page_at_once(app, trust):
    client = app.test_client()
    started = time.perf_counter()
    response = client.post(f"/trusts/{trust.slug}/account/sign-in",
                           data={"email": "a" * (10 * 1024 * 1024)})
    assert time.perf_counter() - started < 1
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_api_rate_limits_are_read_from_the_environment():
    cfg = load_config({**BASE_ENV, "PEERPATH_ENV": "test", "API_RATE_LIMIT_READ": "5/minute",
                       "API_RATE_LIMIT_WRITE": "2/minute", "MAX_CONTENT_LENGTH": "2048"})
    assert cfg["API_RATE_LIMIT_READ"] == "5/minute"
    assert cfg["API_RATE_LIMIT_WRITE"] == "2/minute"
    assert cfg["MAX_CONTENT_LENGTH"] == 2048


def test_the_configured_read_limit_is_the_one_that_holds(app, trust, redis_conn, monkeypatch):
    with tenant_context(trust, app):
        lead = create_coordinator(db.session, email="lead@limits.example", display_name="Lead",
                                  role="lead", password="correct horse battery")
        _, secret = tokens.issue(db.session, trust, lead.id, "limits", "read")
        db.session.commit()
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_READ", "3/minute")
    client = app.test_client()
    statuses = [client.get(f"/api/v1/trusts/{trust.slug}/cohorts",
                           headers={"Authorization": f"Bearer {secret}"}).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_access_log_redacts_tokens_and_query_strings():
    line = ('127.0.0.1 "GET /trusts/x/account/sign-in/AbC-123_xyz HTTP/1.1" 200 '
            '"/trusts/x/drop-ins/booked/MQ.sig/session.ics?next=/a"')
    cleaned = redact(line)
    assert "AbC-123_xyz" not in cleaned and "MQ.sig" not in cleaned and "next=" not in cleaned
    assert "/account/sign-in/[redacted]" in cleaned


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(app, database_url, tmp_path):
    """The app under gunicorn exactly as `make run` starts it, on a loopback port."""
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {**os.environ, "PEERPATH_ENV": "test", "PEERPATH_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with log_path.open("w") as log:
        server = subprocess.Popen(gunicorn_command("127.0.0.1", port), cwd=PROJECT_ROOT,
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/", timeout=10).status_code == 200:
                    break
            except requests.RequestException:  # still starting its workers
                pass
            assert time.monotonic() < deadline and server.poll() is None, log_path.read_text()
            time.sleep(0.3)
        yield base, port, log_path
    finally:
        server.terminate()
        server.wait(timeout=20)


def _timed_get(url: str) -> float:
    started = time.perf_counter()
    response = requests.get(url, timeout=5)
    assert response.status_code == 200
    return time.perf_counter() - started


def test_fifty_slow_clients_do_not_stop_a_normal_request(served, trust):
    base, port, _ = served
    page = f"{base}/trusts/{trust.slug}/"
    # The same page's own time on this machine, before any slow client: on a busy machine
    # a normal answer can itself take longer than a second. Blocked workers would not answer
    # at all before the 5 s timeout.
    before = statistics.median(_timed_get(page) for _ in range(5))
    stop = threading.Event()
    slow = []
    for _ in range(50):
        conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        conn.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        slow.append(conn)

    def trickle():  # one header byte per connection every half second, never finishing
        while not stop.wait(0.5):
            for conn in slow:
                with contextlib.suppress(OSError):  # the server may give up on it
                    conn.sendall(b"X")

    dripper = threading.Thread(target=trickle, daemon=True)
    dripper.start()
    try:
        time.sleep(1.5)  # every slow client has started its headers
        during = statistics.median(_timed_get(page) for _ in range(5))
        assert during < max(1.0, 3 * before), (before, during)
    finally:
        stop.set()
        dripper.join(timeout=5)
        for conn in slow:
            conn.close()


def test_tokens_in_paths_never_reach_the_access_log(served, trust):
    base, _, log_path = served
    secrets = ["S1gnInT0kenAbcdefghijklmnopqrstu", "Inv1tat10nT0kenAbcdefghijklmnop",
               "MQ.b00kedT0kenSignature"]
    for url in (f"/trusts/{trust.slug}/account/sign-in/{secrets[0]}",
                f"/trusts/{trust.slug}/coordinator/invitation/{secrets[1]}",
                f"/trusts/{trust.slug}/drop-ins/booked/{secrets[2]}",
                f"/trusts/{trust.slug}/drop-ins/cancel/{secrets[2]}?again=1"):
        requests.get(base + url, timeout=5)
    time.sleep(0.5)
    log = log_path.read_text()
    assert "sign-in/[redacted]" in log
    for secret in secrets:
        assert secret not in log
