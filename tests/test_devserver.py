"""`make run`'s supervisor keeps one worker running: one that dies is started again after a
pause that grows while it keeps dying, and starts small again after a healthy run. Real
child processes; tests/security/test_restarts.py runs the whole `peerpath dev serve`."""

from __future__ import annotations

import os
import sys
import time

from peerpath import devserver
from peerpath.devserver import WorkerSupervisor


def supervise(seconds_alive: float, restarts: int) -> list[str]:
    said: list[str] = []
    command = [sys.executable, "-c", f"import time; time.sleep({seconds_alive}); exit(3)"]
    supervisor = WorkerSupervisor(dict(os.environ), command=lambda: command, echo=said.append)
    deadline = time.monotonic() + 30
    try:
        while supervisor.restarts < restarts and time.monotonic() < deadline:
            supervisor.check()
            time.sleep(0.05)
    finally:
        supervisor.stop()
        supervisor.wait()
    assert supervisor.restarts == restarts, said
    return said


def test_a_worker_that_keeps_dying_is_started_again_after_a_growing_pause():
    assert supervise(0, restarts=2) == [
        "The worker stopped (exit 3); starting it again in 1s.",
        "The worker stopped (exit 3); starting it again in 2s."]


def test_the_pause_starts_small_again_after_a_healthy_run(monkeypatch):
    monkeypatch.setattr(devserver, "HEALTHY_SECONDS", 0.3)
    assert supervise(0.5, restarts=2) == [
        "The worker stopped (exit 3); starting it again in 1s."] * 2


def test_a_stopped_supervisor_starts_nothing():
    said: list[str] = []
    supervisor = WorkerSupervisor(dict(os.environ), echo=said.append,
                                  command=lambda: [sys.executable, "-c", "exit(0)"])
    supervisor.stop()
    supervisor.wait()
    for _ in range(5):
        supervisor.check()
    assert said == [] and supervisor.restarts == 0
