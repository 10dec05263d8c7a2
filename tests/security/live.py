"""The app as `make run` serves it, for tests that talk to it over HTTP: gunicorn with the
access-log settings of peerpath.devserver and `peerpath worker`, each a process group of
its own with its output in files, on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from peerpath.devserver import gunicorn_command, serve_environment, worker_command

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def served_environment(port: int, **overrides) -> dict[str, str]:
    """`make run`'s environment for the web process and the worker (one key, one address)."""
    return {**serve_environment("127.0.0.1", port), "PEERPATH_ENV": "test", **overrides}


class Process:
    """A child in a process group of its own, stdout and stderr each in a file."""

    def __init__(self, argv: list[str], env: dict, out: Path, err: Path):
        self.out, self.err = out, err
        with out.open("ab") as stdout, err.open("ab") as stderr:
            self.proc = subprocess.Popen(argv, cwd=PROJECT_ROOT, env=env, stdout=stdout,
                                         stderr=stderr, start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")


def start_web(port: int, env: dict, folder: Path) -> Process:
    """gunicorn as `make run` starts it; returns once it answers."""
    web = Process(gunicorn_command("127.0.0.1", port), env, folder / "access.log",
                  folder / "error.log")
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200:
                return web
        except requests.RequestException:  # still starting its workers
            pass
        assert time.monotonic() < deadline and web.alive(), web.output()[-3000:]
        time.sleep(0.3)


def start_worker(env: dict, folder: Path) -> Process:
    """`peerpath worker` (RQ worker, scheduler and outbox sweeper), as `make run` starts it."""
    return Process(worker_command(), env, folder / "worker.log", folder / "worker.log")


def submit_form(http: requests.Session, url: str, data: dict, *,
                page: str | None = None) -> requests.Response:
    """GET the form's page for its CSRF token, then POST `data`; redirects not followed."""
    form = http.get(page or url, timeout=30)
    token = CSRF.search(form.text)
    assert token, (form.status_code, form.url, form.text[:500])
    return http.post(url, data={**data, "csrf_token": token.group(1)}, timeout=30,
                     allow_redirects=False)
