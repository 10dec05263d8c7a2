"""The local development mailbox: /dev/mailbox shows what would have been sent.

Only in development and tests, when there is no SMTP_URL (no real mail provider), and
only to a browser on this machine (loopback): the notification workers then write each
e-mail (.eml) and text (.sms.json) into DEV_MAILBOX_DIR instead of sending it, and this
page lists them, newest first. Everyone else gets a 404, as if it did not exist.
"""

from __future__ import annotations

import email
import json
import os
from email import policy
from ipaddress import ip_address
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, render_template, request

DEFAULT_DIR = str(Path(__file__).resolve().parent.parent / ".peerpath" / "mailbox")
SHOWN = 50

bp = Blueprint("devmailbox", __name__)


def mailbox_dir(app: Flask) -> Path:
    return Path(app.config.get("DEV_MAILBOX_DIR") or os.environ.get("DEV_MAILBOX_DIR")
                or DEFAULT_DIR)


def enabled(app: Flask) -> bool:
    return app.config.get("ENV_NAME") in ("development", "test") \
        and not app.config.get("SMTP_URL")


def from_this_machine() -> bool:
    try:
        return ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.before_request
def loopback_only():
    if not (enabled(current_app) and from_this_machine()):
        abort(404)


def _read(path: Path) -> dict:
    if path.name.endswith(".sms.json"):
        data = json.loads(path.read_text())
        return {"kind": "Text message", "to": data.get("to"), "subject": None,
                "body": data.get("text"), "attachments": [], "trust": data.get("trust")}
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    return {"kind": "Email", "to": message["To"], "subject": message["Subject"],
            "from": message["From"], "body": body.get_content() if body else "",
            "attachments": [a.get_filename() for a in message.iter_attachments()],
            "trust": None}


@bp.get("/dev/mailbox")
def mailbox():
    folder = mailbox_dir(current_app)
    files = sorted(folder.glob("*.*"), reverse=True)[:SHOWN] if folder.is_dir() else []
    return render_template("dev/mailbox.html", messages=[_read(p) for p in files],
                           folder=folder)


def init_app(app: Flask) -> None:
    if enabled(app):
        app.register_blueprint(bp)
