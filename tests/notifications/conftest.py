"""Real services for the notification tests: an aiosmtpd server in this process, a local HTTP
server that answers like GOV.UK Notify's API, and real forking RQ workers in subprocesses."""

from __future__ import annotations

import asyncio
import email
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from peerpath.extensions import db
from peerpath.tenancy import tenant_context

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RecordingHandler:
    """Accepts everything except addresses at reject.test (550) and busy.test (451, once)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.busy_seen: set[str] = set()
        self.slow_rcpt = threading.Event()
        self.slow_seconds = 0.3

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1]
        if domain == "reject.test":
            return "550 5.1.1 mailbox unavailable"
        if domain == "busy.test" and address not in self.busy_seen:
            self.busy_seen.add(address)
            return "451 4.3.0 try again later"
        if domain == "slow.test":
            self.slow_rcpt.set()
            await asyncio.sleep(self.slow_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def for_trust(self, slug: str) -> list:
        with self.lock:
            return [m for m in self.messages if f".{slug}@" in m["Message-ID"]]


@pytest.fixture(scope="session")
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


class FakeNotify(BaseHTTPRequestHandler):
    """POST /v2/notifications/{email,sms}: 201 with an id; 400 for addresses starting 'fail'."""

    received: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth_ok = self.headers.get("Authorization", "").startswith("Bearer ")
        target = body.get("email_address") or body.get("phone_number") or ""
        if not auth_ok or target.startswith("fail"):
            self._reply(400 if auth_ok else 403, {"status_code": 400, "errors": [
                {"error": "BadRequestError", "message": "Not a valid address"}]})
            return
        notification_id = str(uuid.uuid4())
        FakeNotify.received.append({"path": self.path, "id": notification_id, **body})
        self._reply(201, {"id": notification_id, "reference": body.get("reference"),
                          "content": {"body": body.get("personalisation", {}).get("body")}})

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def notify_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield FakeNotify.received, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def notify_api_key() -> str:
    return f"peerpath_test-{uuid.uuid4()}-{uuid.uuid4()}"


class WorkerProcess:
    """`worker.main.run()` in its own process group (worker, work-horses and sweeper)."""

    def __init__(self, env: dict, log_path: Path):
        self.log = open(log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from worker.main import run; run()"], cwd=ROOT,
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


@pytest.fixture(scope="session")
def worker_env(database_url, smtp_server, notify_server, tmp_path_factory):
    return {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": smtp_server[1],
            "NOTIFY_BASE_URL": notify_server[1], "NOTIFY_SWEEP_SECONDS": "1",
            "NOTIFY_LEASE_SECONDS": "3", "NOTIFY_RETRY_SECONDS": "1",
            "NOTIFY_BATCH_SIZE": "5", "LOG_LEVEL": "WARNING",
            "DEV_MAILBOX_DIR": str(tmp_path_factory.mktemp("mailbox"))}


@pytest.fixture(scope="module")
def start_worker(worker_env, tmp_path_factory, app):
    """Start a worker and wait until it has registered with Redis, so that a test's own waits
    time the work and not the start of a Python process on a busy machine."""
    from rq import Worker

    started: list[WorkerProcess] = []
    redis = app.extensions["redis"]

    def start(**overrides) -> WorkerProcess:
        log = tmp_path_factory.mktemp("worker") / "worker.log"
        before = {w.name for w in Worker.all(connection=redis)}
        process = WorkerProcess({**worker_env, **overrides}, log)
        started.append(process)
        wait_for(lambda: process.proc.poll() is not None or
                 {w.name for w in Worker.all(connection=redis)} - before, timeout=STARTUP)
        assert process.proc.poll() is None, f"the worker exited: see {log}"
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture(scope="module")
def worker(start_worker, app):
    return start_worker()


# Generous: a passing test returns as soon as its condition holds; these only bound a failure.
STARTUP = 60
WAIT = 60


def wait_for(predicate, timeout: float = WAIT, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout}s")


def statuses(app, tenant) -> dict[int, str]:
    from tenants.notifications.models import OutboxMessage

    with tenant_context(tenant, app=app):
        return {r.id: r.status for r in db.session.query(OutboxMessage).all()}


def applicant(n: int, domain: str = "example.test", **extra) -> dict:
    return {"email": f"applicant-{n}@{domain}", "name": f"Applicant{n}", **extra}
