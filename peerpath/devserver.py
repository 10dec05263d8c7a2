"""`peerpath dev serve` (what `make run` runs): prepare, seed, serve, and stop cleanly.

Prepares the database (app role, platform schema, every trust schema), seeds the demo
trusts, prints where to sign in, then runs gunicorn and one RQ worker with its scheduler
until Ctrl-C, which stops both. A worker that dies (e.g. Redis restarted under it) is
started again after a short, growing pause; nothing queued is lost, because the outbox
sweeper re-enqueues what is still pending.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

BIN = Path(sys.executable).parent
MAX_RESTART_PAUSE = 30
HEALTHY_SECONDS = 60


def gunicorn_command(host: str, port: int) -> list[str]:
    """Threads, so a slow client holds one thread, not a whole worker: gunicorn bounds the
    wait for a first byte (then parks the connection) but not a header sent one byte at a
    time, so 2 x 64 threads outlast 50 such clients (tests/security/test_limits.py); in
    production put a buffering proxy in front as well (README). The access log redacts
    tokens in paths (peerpath.accesslog)."""
    return [str(BIN / "gunicorn"), "--workers", "2", "--worker-class", "gthread",
            "--threads", "64", "--timeout", "30", "--graceful-timeout", "10",
            "--bind", f"{host}:{port}", "--access-logfile", "-",
            "--logger-class", "peerpath.accesslog.RedactingLogger", "wsgi:app"]


def worker_command() -> list[str]:
    return [str(BIN / "peerpath"), "worker"]


def serve_environment(host: str, port: int) -> dict[str, str]:
    # One key for every gunicorn worker, so a session made by one is valid at the other;
    # one public address for the web process and the worker, so every link is the same.
    return {**os.environ, "PEERPATH_SILENCE_SEED": "1",
            "PEERPATH_PUBLIC_URL": os.environ.get("PEERPATH_PUBLIC_URL") or
            f"http://{host}:{port}",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32)}


def serve(logins: list[dict], host: str, port: int) -> int:
    base = f"http://{host}:{port}"
    click.echo("\nPeerPath is running.\n")
    click.echo(f"  Public site:        {base}/")
    click.echo(f"  Leicestershire:     {base}/trusts/leicestershire/   "
               f"(or http://leicestershire.localhost:{port}/)")
    click.echo(f"  Norfolk and Suffolk {base}/trusts/norfolk-suffolk/")
    click.echo("\n  Demo sign-ins (also in .peerpath/demo-credentials.json):")
    for login in logins:
        click.echo(f"    {login['where']:<55} {login['email']}  /  {login['password']}")
        if login.get("otpauth"):  # DEMO ONLY: pre-enrolled two-factor for the demo accounts
            click.echo(f"      two-factor (demo only): add {login['otpauth']}")
            click.echo("      to an authenticator app, or run `.venv/bin/peerpath demo codes`")
    click.echo("\n  Press Ctrl-C to stop.\n")
    env = serve_environment(host, port)
    web = subprocess.Popen(gunicorn_command(host, port), env=env)
    worker = WorkerSupervisor(env)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
        if web.poll() is None:
            web.terminate()
        worker.stop()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and web.poll() is None:
        worker.check()
        time.sleep(0.5)
    stop()
    codes = [web.wait(), worker.wait()]
    return max(abs(c) for c in codes) if any(codes) else 0


class WorkerSupervisor:
    """Keeps one `peerpath worker` running. One that dies (e.g. Redis restarted under it
    and its reconnecting gave up) is started again after a pause that grows from 1 s to
    MAX_RESTART_PAUSE while it keeps dying, and starts from 1 s again once a worker has
    lasted HEALTHY_SECONDS. The pause does not block: `check()` is called in a loop."""

    def __init__(self, env: dict, command=worker_command, echo=None):
        self.env, self.command = env, command
        self.echo = echo or (lambda text: click.echo(text, err=True))
        self.pause, self.restarts, self.stopped = 1, 0, False
        self.due: float | None = None
        self.process = self._start()

    def _start(self) -> subprocess.Popen:
        self.started = time.monotonic()
        return subprocess.Popen(self.command(), env=self.env)

    def check(self) -> None:
        if self.stopped:
            return
        now = time.monotonic()
        if self.due is None and self.process.poll() is not None:
            if now - self.started >= HEALTHY_SECONDS:
                self.pause = 1
            self.echo(f"The worker stopped (exit {self.process.returncode}); starting it "
                      f"again in {self.pause}s.")
            self.due, self.pause = now + self.pause, min(self.pause * 2, MAX_RESTART_PAUSE)
        elif self.due is not None and now >= self.due:
            self.due, self.restarts = None, self.restarts + 1
            self.process = self._start()

    def stop(self) -> None:
        self.stopped = True
        if self.process.poll() is None:
            self.process.terminate()

    def wait(self) -> int:
        return self.process.wait()
