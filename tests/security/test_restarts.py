"""Services restarting under `make run`: nothing queued is lost, nothing is sent twice, pages
say sorry while the database is away and work again after.

`peerpath dev serve` (what `make run` runs: gunicorn, and `peerpath worker` under its
supervisor) is started once for the module against a PostgreSQL and a Redis of its own
(peerpath.localservices in a temporary folder), so stopping them leaves every other test's
servers alone. Mail goes to a mailbox folder of its own (the development mailbox).
"""

from __future__ import annotations

import email
import os
import re
import signal
import time
from email import policy
from pathlib import Path

import psycopg
import pytest
import requests

from peerpath import localservices
from peerpath.devserver import BIN
from peerpath.pooling import IDLE_PING_AFTER_S
from tests.notifications.conftest import wait_for
from tests.security.live import Process, free_port, submit_form

TRUST = "leicestershire"  # a demo trust: it has drop-ins ahead (tenants/public/demo.py)
SORRY = "Sorry, there is a problem with the service"


class Served:
    def __init__(self, base: Path, services: dict, port: int, folder: Path, serve: Process):
        self.base, self.services, self.folder, self.serve = base, services, folder, serve
        self.url = f"http://127.0.0.1:{port}"
        self.mailbox = folder / "mailbox"

    def trust_page(self) -> requests.Response:
        return requests.get(f"{self.url}/trusts/{TRUST}/", timeout=30)

    def book_drop_in(self, who: str) -> None:
        """Book the first drop-in on the trust's page, as its link leads."""
        page = self.trust_page()
        assert page.status_code == 200, page.text[:500]
        path = re.search(r'href="(/trusts/[^"]+/drop-ins/\d+/book)"', page.text).group(1)
        booked = submit_form(requests.Session(), self.url + path,
                             {"name": "Restart Person", "email": who})
        assert booked.status_code == 302, (booked.status_code, booked.text[:800])

    def mails_to(self, who: str) -> list[email.message.EmailMessage]:
        found = []
        for path in self.mailbox.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if who in str(message["To"]):
                found.append(message)
        return found

    def outbox(self, who: str) -> list[tuple[str, str]]:
        with psycopg.connect(self.services["DATABASE_URL"], connect_timeout=5) as conn:
            schema = conn.execute("SELECT schema_name FROM platform.trusts WHERE slug = %s",
                                  (TRUST,)).fetchone()[0]
            return conn.execute(psycopg.sql.SQL(
                "SELECT template_key, status FROM {}.notification_outbox "
                "WHERE recipient_email = %s ORDER BY id").format(psycopg.sql.Identifier(schema)),
                (who,)).fetchall()

    def worker_pid(self) -> int | None:
        """The `peerpath worker` the supervisor (the dev serve process) runs now."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.serve.proc.pid and cmdline[-2:-1] == [b"worker"]:
                return int(entry.name)
        return None

    def delivered_once(self, who: str, template: str = "dropin_booking_confirmation") -> None:
        """Sent, exactly once: the row says so, the mailbox has one, and after a few more
        sweeps (one a second) still one."""
        wait_for(lambda: (template, "sent") in self.outbox(who), timeout=90)
        wait_for(lambda: self.mails_to(who), timeout=30)
        time.sleep(4)
        mails = self.mails_to(who)  # the day-before reminder is weeks away: not sent yet
        assert len(mails) == 1, [str(m["Subject"]) for m in mails]
        assert [row for row in self.outbox(who) if row[0] == template] == [(template, "sent")]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("make-run")
    base = folder / "services"
    services = localservices.up(base)
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in ("APP_DATABASE_URL", "SMTP_URL", "PEERPATH_PUBLIC_URL")}
    env.update(services, PEERPATH_ENV="test", DEV_MAILBOX_DIR=str(folder / "mailbox"),
               PEERPATH_DEMO_CREDENTIALS=str(folder / "demo-credentials.json"),
               NOTIFY_SWEEP_SECONDS="1", PEERPATH_SERVICES_DIR=str(base))
    serve = Process([str(BIN / "peerpath"), "dev", "serve", "--port", str(port)], env,
                    folder / "serve.out", folder / "serve.err")
    running = Served(base, services, port, folder, serve)
    try:
        wait_for(lambda: _answers(running) or not serve.alive(), timeout=240, interval=1)
        assert serve.alive(), serve.output()[-3000:]
        wait_for(running.worker_pid, timeout=30)
        yield running
    finally:
        serve.stop(signal.SIGTERM, timeout=30)
        localservices.down(base)


def _answers(running: Served) -> bool:
    try:
        return running.trust_page().status_code == 200
    except requests.RequestException:
        return False


def test_a_worker_that_dies_under_make_run_is_started_again_and_sends_what_is_queued(served):
    first = served.worker_pid()
    os.kill(first, signal.SIGKILL)
    served.book_drop_in("killed.worker@applicant.example")
    second = wait_for(lambda: (pid := served.worker_pid()) not in (None, first) and pid,
                        timeout=30)
    assert second != first
    assert "The worker stopped (exit -9); starting it again" in served.serve.output()
    served.delivered_once("killed.worker@applicant.example")


def test_a_redis_restart_loses_nothing_and_sends_nothing_twice(served):
    before, stops = served.worker_pid(), served.serve.output().count("The worker stopped")
    localservices.stop_redis(served.base)  # its data goes with it: nothing stays queued
    try:
        # Booking needs no Redis: the row is written, its enqueueing fails (logged), and
        # the sweeper enqueues it once Redis is back.
        served.book_drop_in("redis.restart@applicant.example")
        time.sleep(3)
        assert ("dropin_booking_confirmation", "created") in served.outbox(
            "redis.restart@applicant.example")
    finally:
        localservices.start_redis_again(served.base)
    served.delivered_once("redis.restart@applicant.example")
    after = wait_for(served.worker_pid, timeout=60)
    # The worker either rode it out (RQ reconnects) or was started again by the supervisor.
    assert after == before or served.serve.output().count("The worker stopped") > stops


def test_pages_say_sorry_while_postgresql_is_down_and_work_again_after(served):
    assert served.trust_page().status_code == 200
    localservices.stop_postgres(served.base)
    try:
        # Down for longer than a pooled connection may sit unchecked (peerpath.pooling):
        # then no page after the restart meets a connection from before it.
        down_until = time.monotonic() + IDLE_PING_AFTER_S + 1
        while time.monotonic() < down_until:
            page = served.trust_page()
            assert page.status_code == 503 and SORRY in page.text
            assert page.headers.get("Retry-After")
            time.sleep(1)
        api = requests.get(f"{served.url}/api/v1/trusts/{TRUST}/cohorts", timeout=30,
                           headers={"Authorization": "Bearer pp_not_a_token"})
        assert api.status_code == 503 and api.json()["error"]["status"] == 503
    finally:
        localservices.start_postgres_again(served.base)
    if os.environ.get("DATABASE_POOL_MODE") == "transaction":
        # Behind PgBouncer (`make test-pgbouncer`) the pooler tries a server it could not log
        # in to again on its own timer (server_login_retry = 0 still leaves one turn of it):
        # the first page after the database is back may still say sorry, as above.
        wait_for(lambda: served.trust_page().status_code == 200, timeout=10)
    assert [served.trust_page().status_code for _ in range(6)] == [200] * 6
    served.book_drop_in("postgres.restart@applicant.example")
    served.delivered_once("postgres.restart@applicant.example")
