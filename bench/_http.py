"""Small HTTP helpers for the benchmarks: a timed GET, gunicorn servers, worker memory."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, host: str | None = None,
        cookie: str | None = None) -> tuple[int, float]:
    """(status, seconds) of one GET on a fresh connection (gunicorn sync workers close it)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": host or f"127.0.0.1:{port}", "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


class Gunicorn:
    """`gunicorn --workers N <module>:app` on a free loopback port, like `make run`'s."""

    def __init__(self, target: str, workers: int = 2):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--log-level", "warning", target],
            env={**os.environ, "PEERPATH_SILENCE_SEED": "1", "LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL)
        # A worker imports the whole app before its first answer: on a 2-core machine shared
        # with other test runs (load 15-20) that took a minute.
        deadline = time.monotonic() + float(os.environ.get("BENCH_BOOT_SECONDS", "240"))
        while True:
            try:
                if get(self.port, "/healthz" if target.startswith("wsgi") else "/")[0] < 500:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn {target} did not start")
            time.sleep(0.2)

    def worker_pids(self) -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                              if ":\t" in line)
            except OSError:
                continue
            if fields.get("PPid", "").strip() == str(self.process.pid):
                pids.append(int(status.parent.name))
        return pids

    def worker_rss_kib(self) -> list[int]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]))
        return sizes

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
