"""`peerpath dev serve` (what `make run` runs): prepare, seed, serve, and stop cleanly.

Prepares the database (app role, platform schema, every trust schema), seeds the demo
trusts, prints where to sign in, then runs gunicorn and one RQ worker with its scheduler
until Ctrl-C, which stops both.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import click

BIN = Path(sys.executable).parent


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
    # One key for every gunicorn worker, so a session made by one is valid at the other.
    env = {**os.environ, "PEERPATH_SILENCE_SEED": "1",
           "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32)}
    children = [
        subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"{host}:{port}",
                          "--access-logfile", "-", "wsgi:app"], env=env),
        subprocess.Popen([str(BIN / "peerpath"), "worker"], env=env),
    ]

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    codes = [child.wait() for child in children]
    return max(abs(c) for c in codes) if any(codes) else 0
