"""Process helpers shared by the throwaway local servers (peerpath.localservices for
PostgreSQL and Redis, peerpath.localpgbouncer for PgBouncer). Stdlib only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


class ServiceError(RuntimeError):
    """A local server could not be found, started or reached."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_alive(pid: int | None, name: str) -> bool:
    # Pid files outlive reboots, so make sure the pid is still the expected program before
    # trusting or signalling it (a zombie has an empty cmdline, so it counts as gone).
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return name in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return True  # no /proc (macOS): the pid exists, the best we can tell


def wait_gone(pid: int, name: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while process_alive(pid, name):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def tail(log: Path) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-20:])
    return "(no log)"


def write_private(path: Path, text: str) -> None:
    """Write atomically, mode 0600: the files hold the database password."""
    tmp = path.with_name(path.name + ".tmp")
    with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
        os.fchmod(fh.fileno(), 0o600)
        fh.write(text)
    os.replace(tmp, path)


def pg_run(argv: list, runas: str | None, **kwargs) -> subprocess.CompletedProcess:
    if runas and not shutil.which("runuser"):
        raise ServiceError("as root, PostgreSQL needs `runuser` (util-linux) to drop privileges")
    prefix = ["runuser", "-u", runas, "--"] if runas else []
    return subprocess.run([*prefix, *map(str, argv)], cwd="/", **kwargs)
