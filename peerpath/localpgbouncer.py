"""Debian's PgBouncer (1.18) in transaction pooling mode, for `PEERPATH_PGBOUNCER=1 make test`
(`make test-pgbouncer`) and `make run`. Started and stopped by peerpath.localservices with the
PostgreSQL server it fronts; its files live beside that server's data. Stdlib only.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import time
from pathlib import Path

from peerpath.localprocess import (
    ServiceError,
    free_port,
    pg_run,
    process_alive,
    read_pid,
    tail,
    wait_gone,
    write_private,
)

# PEERPATH_PGBOUNCER=1 puts Debian's PgBouncer in transaction pooling mode in front of the
# PostgreSQL server, and DATABASE_URL points at it; DATABASE_POOL_MODE=transaction tells the
# app to stop psycopg preparing statements (peerpath/pooling.py).
FLAG = "PEERPATH_PGBOUNCER"
POOL_SIZE = 20
AUTH_QUERY = "SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = $1"


def wanted() -> bool:
    return os.environ.get(FLAG, "") not in ("", "0")


def _ini(pg: dict, port: int, home: Path) -> str:
    # Every user but the owner is looked up in pg_shadow through the owner (auth_query), so
    # the app role's SCRAM secret never has to be written down here.
    return f"""[databases]
* = host=127.0.0.1 port={pg['port']} auth_user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {home / 'userlist.txt'}
auth_query = {AUTH_QUERY}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
max_client_conn = 1000
max_db_connections = {POOL_SIZE + 10}
server_reset_query =
# With PostgreSQL down, a query waits for a server connection for query_wait_timeout (120 s
# by default) and pgbouncer tries a failed server again after server_login_retry (15 s):
# pages would hang instead of saying sorry, and stay down for 15 s after the database is
# back (tests/security/test_restarts.py). A web page wants an answer in seconds; with
# server_login_retry = 0 pgbouncer tries again on its next turn (one page may still say
# sorry after the database is back).
query_wait_timeout = 5
server_connect_timeout = 3
server_login_retry = 0
ignore_startup_parameters = extra_float_digits
logfile = {home / 'pgbouncer.log'}
pidfile = {home / 'pgbouncer.pid'}
admin_users = postgres
"""


def _alive(bouncer: dict) -> bool:
    if not process_alive(read_pid(Path(bouncer["home"]) / "pgbouncer.pid"), "pgbouncer"):
        return False
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", bouncer["port"]),
                                                                1):
        return True
    return False


def serves(state: dict) -> bool:
    return bool(state.get("pgbouncer")) and _alive(state["pgbouncer"])


def start(pg: dict) -> dict:
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).is_file():
        raise ServiceError("pgbouncer not found: `apt-get install pgbouncer` (Debian/Ubuntu) or "
                           f"unset {FLAG}")
    home, port = Path(pg["datadir"]).parent / "pgbouncer", free_port()
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(mode=0o700)
    write_private(home / "userlist.txt", f'"postgres" "{pg["password"]}"\n')
    write_private(home / "pgbouncer.ini", _ini(pg, port, home))
    user = pwd.getpwnam(pg["runas"]) if pg.get("runas") else None
    if user:  # PgBouncer, like PostgreSQL, refuses to run as root
        for path in (home, home / "userlist.txt", home / "pgbouncer.ini"):
            os.chown(path, user.pw_uid, user.pw_gid)
    started = pg_run([binary, "-d", home / "pgbouncer.ini"], pg.get("runas"),
                      capture_output=True, text=True, start_new_session=True)
    bouncer = {"port": port, "home": str(home)}
    deadline = time.monotonic() + 15
    while not _alive(bouncer):
        if started.returncode or time.monotonic() > deadline:
            raise ServiceError(f"PgBouncer did not start: {started.stdout}{started.stderr}\n"
                               f"end of its log:\n{tail(home / 'pgbouncer.log')}")
        time.sleep(0.05)
    return bouncer


def stop(bouncer: dict | None) -> None:
    if not bouncer:
        return
    pid = read_pid(Path(bouncer["home"]) / "pgbouncer.pid")
    if process_alive(pid, "pgbouncer"):
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):  # SIGINT: safe shutdown
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
            if wait_gone(pid, "pgbouncer", 5):
                break
    shutil.rmtree(bouncer["home"], ignore_errors=True)
