"""Notification throughput and latency: commit -> SMTP acceptance, through real workers.

Prints, for 1 and 2 forking workers: messages per second for 1,000 EOI acknowledgements
committed at once, and the median / p95 time from commit to SMTP acceptance when messages
arrive at 10 per second. Targets: >= 150 msg/s (1 worker), >= 250 msg/s (2 workers),
p95 < 1 s at 10 msg/s. Needs DATABASE_URL and REDIS_URL (`make bench` provides them);
uses its own database `<name>_bench`.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller

from bench._support import scratch_database

ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT_MESSAGES = 1000
RATE, RATE_SECONDS = 10, 15


class Acceptances:
    def __init__(self):
        self.at: dict[str, float] = {}
        self.per_trust: dict[str, int] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        stamp = time.monotonic()
        for line in envelope.content.split(b"\r\n", 40):
            if line.lower().startswith(b"message-id:"):
                message_id = line.split(b":", 1)[1].strip().decode()
                slug = message_id.split(".", 1)[1].split("@", 1)[0]
                with self.lock:
                    self.at[message_id] = stamp
                    self.per_trust[slug] = self.per_trust.get(slug, 0) + 1
                break
        return "250 OK"

    def count(self, slug: str) -> int:
        return self.per_trust.get(slug, 0)


def start_workers(n: int, env: dict, redis) -> list[subprocess.Popen]:
    from rq import Worker

    procs = [subprocess.Popen([sys.executable, "-c", "from worker.main import run; run()"],
                              cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(n)]
    deadline = time.monotonic() + 60
    while len(Worker.all(connection=redis)) < n:
        if time.monotonic() > deadline:
            raise RuntimeError("workers did not start")
        time.sleep(0.2)
    return procs


def stop_workers(procs) -> None:
    for proc in procs:
        os.killpg(proc.pid, 15)
    for proc in procs:
        proc.wait(20)


def queue_acks(app, tenant, count: int, start: int) -> float:
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.notifications.service import queue_message

    with tenant_context(tenant, app=app):
        for n in range(start, start + count):
            queue_message(db.session, "eoi_acknowledgement",
                          {"email": f"applicant-{n}@example.test", "name": "Sam"},
                          {"reference": f"PSW-{n}", "cohort_name": "Spring",
                           "sign_in_link": "https://peerpath.example/sign-in"})
        db.session.commit()
        return time.monotonic()


def wait_all(accepted: Acceptances, slug: str, total: int, timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    while accepted.count(slug) < total:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {accepted.count(slug)} of {total} accepted")
        time.sleep(0.01)
    with accepted.lock:
        return max(v for k, v in accepted.at.items() if f".{slug}@" in k)


def run_case(app, workers: int, env: dict, accepted: Acceptances) -> dict:
    from peerpath import trust_admin

    redis = app.extensions["redis"]
    redis.flushdb()
    procs = start_workers(workers, env, redis)
    try:
        with app.app_context():
            tenant = trust_admin.onboard(slug=f"bench-{workers}w-{os.getpid() % 10000}",
                                         display_name="Bench NHS Trust", actor="bench")
            queue_acks(app, tenant, 20, 0)  # warm up connections and caches
            wait_all(accepted, tenant.slug, 20)
            committed = queue_acks(app, tenant, THROUGHPUT_MESSAGES, 20)
            last = wait_all(accepted, tenant.slug, THROUGHPUT_MESSAGES + 20)
            rate = THROUGHPUT_MESSAGES / (last - committed)
            latencies, n = [], THROUGHPUT_MESSAGES + 20
            for _ in range(RATE * RATE_SECONDS):
                tick = time.monotonic()
                committed = queue_acks(app, tenant, 1, n)
                n += 1
                wait_all(accepted, tenant.slug, n, timeout=10)
                with accepted.lock:
                    latencies.append(accepted.at[f"<outbox-{n}.{tenant.slug}@peerpath.example>"]
                                     - committed)
                time.sleep(max(0.0, 1 / RATE - (time.monotonic() - tick)))
    finally:
        stop_workers(procs)
    latencies.sort()
    return {"workers": workers, "rate": rate, "median": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1]}


def main() -> None:
    os.environ.setdefault("PEERPATH_ENV", "test")
    url = scratch_database("peerpath_bench_notifications")
    accepted = Acceptances()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(accepted, hostname="127.0.0.1", port=port)
    controller.start()
    from peerpath.app import create_app
    from peerpath.config import load_config
    from peerpath.database import upgrade_database

    cfg = load_config()
    upgrade_database(url, cfg["APP_DATABASE_URL"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                     cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    app = create_app()
    # The workers run with the app's defaults (NOTIFY_BATCH_SIZE etc.) unless set around
    # `make bench`.
    env = {**os.environ, "SMTP_URL": f"smtp://127.0.0.1:{port}", "LOG_LEVEL": "WARNING"}
    try:
        for workers in (1, 2):
            r = run_case(app, workers, env, accepted)
            print(f"{r['workers']} worker(s): {r['rate']:.0f} messages/s for "
                  f"{THROUGHPUT_MESSAGES} acknowledgements; at {RATE} msg/s commit -> SMTP "
                  f"acceptance median {r['median'] * 1000:.0f} ms, p95 "
                  f"{r['p95'] * 1000:.0f} ms", flush=True)
    finally:
        controller.stop()
