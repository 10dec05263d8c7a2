"""The `peerpath` command: the Flask CLI of the app plus the platform's own commands."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import FlaskGroup, NoAppException, with_appcontext

from peerpath import localservices
from peerpath.config import ConfigError, load_config

# Commands import what they need when they run: `peerpath trusts upgrade` runs on every
# deploy and should not pay for the web app's imports.

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SERVICES_DIR = PROJECT_ROOT / ".peerpath" / "services"


def _create_app():
    from peerpath.app import create_app

    try:
        return create_app()
    except ConfigError as exc:  # one line (also under --help), not a traceback
        raise NoAppException(str(exc)) from None


class _Group(FlaskGroup):
    def invoke(self, ctx):
        # A missing DATABASE_URL / REDIS_URL is a first-run mistake: one line, no traceback.
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group, create_app=_create_app, add_default_commands=True,
             load_dotenv=False)
def main():
    """PeerPath: NHS Peer Support Worker recruitment, one schema per trust."""


# --- local services -----------------------------------------------------------------------

@main.group()
def services():
    """Throwaway local PostgreSQL and Redis under .peerpath/ (development and tests)."""


@services.command("up", with_appcontext=False)
def services_up():
    """Start them (if not running) and print their URLs."""
    for key, value in localservices.up(SERVICES_DIR).items():
        click.echo(f"{key}={value}")


@services.command("down", with_appcontext=False)
def services_down():
    """Stop them and delete their data."""
    localservices.down(SERVICES_DIR)


@services.command("env", with_appcontext=False)
def services_env():
    """Print DATABASE_URL=... and REDIS_URL=... of the running services."""
    env = localservices.current_env(SERVICES_DIR)
    if env is None:
        raise click.ClickException("no local services running: `peerpath services up`")
    for key, value in env.items():
        click.echo(f"{key}={value}")


# --- database and trusts -------------------------------------------------------------------

def _owner_url() -> str:
    return current_app.config["DATABASE_URL"]


NOT_SET_UP = ("This database has not been set up yet: run `peerpath db upgrade` first "
              "(`make run` does it for you).")
UNREACHABLE = ("Cannot connect to the database in DATABASE_URL: check that it is running "
               "(`peerpath services up` starts a local one).")


def require_database(database_url: str | None = None) -> None:
    """Stop with one line saying what to run first on a database never set up (or not
    reachable), instead of a traceback from the first query."""
    import psycopg

    try:
        with psycopg.connect(database_url or _owner_url(), connect_timeout=5) as conn:
            ready = conn.execute("SELECT to_regclass('platform.alembic_version') IS NOT NULL"
                                 ).fetchone()[0]
    except psycopg.OperationalError:
        raise click.ClickException(UNREACHABLE) from None
    if not ready:
        raise click.ClickException(NOT_SET_UP)


@main.group()
def db():
    """The platform schema and the app's database role."""


@db.command("upgrade")
@with_appcontext
def db_upgrade():
    """Create or refresh the app login role and migrate the platform schema."""
    from peerpath.database import upgrade_database

    cfg = current_app.config
    upgrade_database(cfg["DATABASE_URL"], cfg["APP_DATABASE_URL"],
                     cfg["DB_STATEMENT_TIMEOUT_MS"], cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    click.echo("platform schema is at head")


@main.group()
def trusts():
    """Onboard, list, upgrade, suspend and resume trusts."""


@trusts.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The trust's full name.")
@click.option("--host", "hosts", multiple=True, help="A host name that serves this trust.")
@click.option("--contact-email")
@click.option("--contact-phone")
@click.option("--lead-email", help="Invite this person as the trust's first lead coordinator "
                                   "(in the same transaction, as the console does).")
@with_appcontext
def trusts_create(slug, name, hosts, contact_email, contact_phone, lead_email):
    """Onboard a trust: registry row, schema, role and default configuration, atomically."""
    from peerpath import trust_admin
    from peerpath.admin.onboarding_runs import invite_lead_step
    from peerpath.admin.schemas import EMAIL_INVALID, EMAIL_PATTERN

    require_database()
    steps = ()
    if lead_email is not None:
        lead_email = lead_email.strip()
        if not re.fullmatch(EMAIL_PATTERN, lead_email):
            raise click.BadParameter(EMAIL_INVALID, param_hint="--lead-email")
        steps = (invite_lead_step(lead_email),)
    try:
        tenant = trust_admin.onboard(slug=slug, display_name=name, hosts=hosts,
                                     contact_email=contact_email, contact_phone=contact_phone,
                                     extra_steps=steps)
    except trust_admin.OnboardingError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {tenant.slug} (schema {tenant.schema}, role {tenant.role})")
    if lead_email:
        click.echo(f"invited {lead_email} as its first lead coordinator")


@trusts.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
def trusts_list(as_json):
    """Every trust with its status and schema version."""
    from peerpath import trust_admin

    require_database()
    rows = trust_admin.fleet_overview()
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    for row in rows:
        click.echo(f"{row['slug']:<30} {row['status']:<11} {row['version'] or '-':<8} "
                   f"{row['display_name']}")


@trusts.command("upgrade", with_appcontext=False)  # AppGroup would load the app
@click.option("--jobs", default=4, show_default=True, help="Trusts migrated at once.")
@click.option("--lock-timeout", default="5s", show_default=True)
def trusts_upgrade(jobs, lock_timeout):
    """Migrate every stale trust schema to the tenant head; only the stale ones."""
    from peerpath.fleet import upgrade_fleet
    from peerpath.migrate import tenant_head

    # No app needed: this runs on every deploy and should cost little more than its query.
    database_url = current_app.config["DATABASE_URL"] if has_app_context() else \
        load_config()["DATABASE_URL"]
    from peerpath.admin.upgrade_log import record_upgrade_run

    require_database(database_url)
    started_at = datetime.now(UTC)
    results = upgrade_fleet(database_url, jobs=jobs, lock_timeout=lock_timeout)
    record_upgrade_run(database_url, results, started_at)  # the console shows the last run
    if not results:
        click.echo(f"all trust schemas are at {tenant_head()}: nothing to do")
        return
    for r in results:
        outcome = f"ok {r.before} -> {r.after}" if r.ok else f"FAILED: {r.error}"
        click.echo(f"{r.slug:<30} {outcome} ({r.seconds:.2f}s)")
    failed = [r for r in results if not r.ok]
    click.echo(f"{len(results) - len(failed)} upgraded, {len(failed)} failed")
    if failed:
        sys.exit(1)


@trusts.command("suspend")
@click.argument("slug")
@with_appcontext
def trusts_suspend(slug):
    """Show a 503 notice on the trust's pages and skip its jobs."""
    from peerpath import trust_admin

    require_database()
    trust_admin.set_status(slug, "suspended", actor="cli")
    click.echo(f"{slug} suspended")


@trusts.command("resume")
@click.argument("slug")
@with_appcontext
def trusts_resume(slug):
    """Bring a suspended trust back."""
    from peerpath import trust_admin

    require_database()
    trust_admin.set_status(slug, "active", actor="cli")
    click.echo(f"{slug} active")


@trusts.command("refresh-summaries")
@with_appcontext
def trusts_refresh_summaries():
    """Rewrite every trust's line on the list of trusts (after upgrading; daily by cron)."""
    from flask import current_app

    from peerpath import trust_summary

    count = trust_summary.refresh_all(current_app._get_current_object())
    click.echo(f"{count} trust summaries refreshed")


@main.group()
def admins():
    """Platform admin accounts (the console at /admin/)."""


@admins.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of generating one.")
@with_appcontext
def admins_create(email, password_stdin):
    """Add a platform admin; they set up two-factor at their first sign-in."""
    from peerpath.admin import people
    from peerpath.refusal import Refused

    require_database()
    given = sys.stdin.readline().strip() if password_stdin else None
    try:
        # The same service as the console's Admins page (and the same audit row).
        password = people.add_admin(email, actor="cli", password=given)
    except Refused as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{email.strip()} can now sign in at /admin/sign-in")
    if not password_stdin:
        click.echo(f"Password (shown once): {password}")


@admins.command("list")
@with_appcontext
def admins_list():
    """Every platform admin: two-factor set up or not, the last sign-in, active or not."""
    from peerpath.admin import accounts

    require_database()
    for admin in accounts.every_admin():
        enrolled = "two-factor set up" if admin.totp_secret else "two-factor not set up yet"
        seen = admin.last_sign_in_at.isoformat(timespec="minutes") if admin.last_sign_in_at \
            else "never signed in"
        active = "active" if admin.active else "deactivated"
        click.echo(f"{admin.email}\t{enrolled}\t{seen}\t{active}")


@main.group()
def demo():
    """Demo data."""


@demo.command("seed")
@click.option("--credentials", type=click.Path(path_type=Path),
              default=PROJECT_ROOT / ".peerpath" / "demo-credentials.json", show_default=True)
@with_appcontext
def demo_seed(credentials):
    """The two demo trusts with their configuration, logins and sample data (idempotent)."""
    from peerpath import demo as demo_data

    require_database()
    logins = demo_data.seed(credentials)
    for login in logins:
        click.echo(f"{login['where']:<50} {login['email']:<40} {login['password']}")
        if login.get("otpauth"):
            click.echo(f"{'':<50} two-factor (demo only): {login['otpauth']}")


@demo.command("codes")
@click.option("--credentials", type=click.Path(path_type=Path),
              default=PROJECT_ROOT / ".peerpath" / "demo-credentials.json", show_default=True)
def demo_codes(credentials):
    """DEMO ONLY: the current two-factor code of each pre-enrolled demo account."""
    from peerpath import demo as demo_data

    codes = demo_data.demo_totp_codes(credentials)
    if not codes:
        raise click.ClickException("There are no demo accounts yet: run `make run` (or "
                                   "`peerpath db upgrade` then `peerpath demo seed`) first.")
    for email, code in codes.items():
        click.echo(f"{email:<60} {code}")



@main.command("worker", with_appcontext=False)  # run() builds the app it forks from
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker_command(burst):
    """Run a forking RQ worker with its scheduler (the notifications and sweeps)."""
    from worker.main import run

    run(burst=burst)


@main.group()
def dev():
    """Development helpers."""


@dev.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@with_appcontext
@click.pass_context
def dev_serve(ctx, host, port):
    """Upgrade, seed the demo trusts, then serve the web app and a worker until Ctrl-C."""
    from peerpath import demo as demo_data
    from peerpath.devserver import serve

    ctx.invoke(db_upgrade)
    ctx.invoke(trusts_upgrade)
    current_app.config["PUBLIC_URL"] = current_app.config.get("PUBLIC_URL") or f"http://{host}:{port}"
    # PEERPATH_DEMO_CREDENTIALS: elsewhere, e.g. for a test's own throwaway servers.
    logins = demo_data.seed(Path(os.environ.get("PEERPATH_DEMO_CREDENTIALS") or
                                 PROJECT_ROOT / ".peerpath" / "demo-credentials.json"))
    sys.exit(serve(logins, host, port))
