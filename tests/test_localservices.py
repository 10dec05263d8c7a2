"""peerpath.localservices against real, throwaway PostgreSQL and Redis servers."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from peerpath import localservices

CLI = [sys.executable, "-m", "peerpath.localservices"]


def port_of(url: str) -> int:
    return urlsplit(url).port


def redis(url: str, *args: str) -> bytes:
    """Send one command as a RESP array and return the raw reply."""
    payload = f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args)
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=5) as sock:
        sock.sendall(payload.encode())
        return sock.recv(1024)


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def assert_all_stopped(base: Path, env: dict[str, str]) -> None:
    assert localservices.current_env(base) is None
    assert not accepts_connections(port_of(env["DATABASE_URL"]))
    assert not accepts_connections(port_of(env["REDIS_URL"]))
    assert not localservices._pg_home(base.resolve()).exists()
    assert not (base / "redis").exists()
    assert not (base / "env").exists()


def env_without_urls() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    base = tmp_path_factory.mktemp("services")
    env = localservices.up(base)
    yield base, env
    localservices.down(base)


def test_up_gives_working_postgres_and_redis(running):
    _, env = running
    assert env["DATABASE_URL"].startswith("postgresql://postgres:")
    assert env["DATABASE_URL"].endswith("/peerpath")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert redis(env["REDIS_URL"], "PING") == b"+PONG\r\n"


def test_up_is_idempotent_and_writes_a_private_env_file(running):
    base, env = running
    assert localservices.up(base) == env
    assert localservices.current_env(base) == env
    env_file = base / "env"
    assert env_file.read_text() == "".join(f"{k}={v}\n" for k, v in env.items())
    assert env_file.stat().st_mode & 0o777 == 0o600


def test_restart_redis_keeps_the_port_and_flushes(running):
    base, env = running
    assert redis(env["REDIS_URL"], "SET", "greeting", "hello") == b"+OK\r\n"
    localservices.restart_redis(base, flush=False)
    assert redis(env["REDIS_URL"], "GET", "greeting") == b"$5\r\nhello\r\n"
    localservices.restart_redis(base)
    assert redis(env["REDIS_URL"], "GET", "greeting") == b"$-1\r\n"
    assert localservices.current_env(base) == env


def test_down_stops_both_and_up_starts_afresh(tmp_path):
    env = localservices.up(tmp_path)
    assert localservices._pg_home(tmp_path.resolve()).exists()
    localservices.down(tmp_path)
    assert_all_stopped(tmp_path, env)
    localservices.down(tmp_path)  # nothing running: still fine
    again = localservices.up(tmp_path)
    try:
        with psycopg.connect(again["DATABASE_URL"]) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        localservices.down(tmp_path)
    assert_all_stopped(tmp_path, again)


CHILD = """
import os, sys, psycopg
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    conn.execute("SELECT 1")
print(os.environ["DATABASE_URL"])
print(os.environ["REDIS_URL"])
sys.exit(int(sys.argv[1]))
"""


def test_exec_runs_the_command_with_urls_and_always_stops(tmp_path):
    for exit_code in (0, 3):  # twice in a row, and also when the command fails
        done = subprocess.run(
            [*CLI, "--base", str(tmp_path), "exec", "--", sys.executable, "-c", CHILD,
             str(exit_code)],
            env=env_without_urls(), capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == exit_code, done.stderr
        database_url, redis_url = done.stdout.split()
        assert_all_stopped(tmp_path, {"DATABASE_URL": database_url, "REDIS_URL": redis_url})


def test_exec_stops_the_servers_when_terminated(tmp_path):
    sleeper = "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'], flush=True)"
    sleeper += "; import time; time.sleep(120)"
    proc = subprocess.Popen(
        [*CLI, "--base", str(tmp_path), "exec", "--", sys.executable, "-c", sleeper],
        env=env_without_urls(), stdout=subprocess.PIPE, text=True, start_new_session=True,
    )
    try:
        database_url, redis_url = proc.stdout.readline().split()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        proc.kill()
        proc.stdout.close()
    assert_all_stopped(tmp_path, {"DATABASE_URL": database_url, "REDIS_URL": redis_url})


def test_exec_leaves_provided_urls_alone(tmp_path):
    provided = {"DATABASE_URL": "postgresql://example/db", "REDIS_URL": "redis://example/0"}
    done = subprocess.run(
        [*CLI, "--base", str(tmp_path / "unused"), "exec", "--", sys.executable, "-c",
         "import os; print(os.environ['DATABASE_URL'], os.environ['REDIS_URL'])"],
        env={**os.environ, **provided}, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == list(provided.values())
    assert not (tmp_path / "unused").exists()
