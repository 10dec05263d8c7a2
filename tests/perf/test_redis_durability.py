"""`make run`'s Redis writes an append-only file (appendfsync everysec): what it holds (sign-in
sessions above all) survives Redis being killed. Queued jobs need not: the outbox sweeper
re-enqueues them (tests/notifications/test_crash_recovery.py flushes Redis to show it)."""

from __future__ import annotations

import os
import signal
import time

from redis import Redis

from peerpath import localprocess, localservices


def test_a_killed_durable_redis_comes_back_with_its_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("PEERPATH_REDIS_AOF", "1")
    base = tmp_path.resolve()
    redis_state = localservices._start_redis(base)
    try:
        client = Redis(port=redis_state["port"])
        assert client.config_get("appendfsync") == {"appendfsync": "everysec"}
        client.set("peerpath:session:trust:t-1:abc", "1")
        time.sleep(1.5)  # everysec: at most a second of writes can be lost
        os.kill(localprocess.read_pid(base / "redis.pid"), signal.SIGKILL)
        assert localprocess.wait_gone(localprocess.read_pid(base / "redis.pid") or 0,
                                        "redis", 5)
        localservices._start_redis(base, redis_state["port"])
        assert Redis(port=redis_state["port"]).get("peerpath:session:trust:t-1:abc") == b"1"
    finally:
        localservices._stop_redis(base, redis_state)


def test_the_tests_redis_keeps_no_file(tmp_path, monkeypatch):
    monkeypatch.delenv("PEERPATH_REDIS_AOF", raising=False)
    assert not localservices._redis_durable(tmp_path.resolve())
    assert localservices._redis_durable(localservices.DEFAULT_BASE.resolve())
