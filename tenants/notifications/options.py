"""Tunables of the notification machinery: app config, else environment, else default.

Read through one function so tests and the benchmark can set them for worker processes
through the environment without touching the core configuration.
"""

from __future__ import annotations

import os

from flask import current_app, has_app_context

from peerpath.devmailbox import DEFAULT_DIR

DEFAULTS: dict[str, object] = {
    "NOTIFY_BATCH_SIZE": 200,  # rows one job claims; one fork, connections reused
    "NOTIFY_SEND_THREADS": 4,  # connections one job sends a big batch over at once
    "NOTIFY_LEASE_SECONDS": 300,  # a claimed row returns to the queue if not done by then
    "NOTIFY_SWEEP_SECONDS": 60,  # how often the sweeper looks for rows still pending
    "NOTIFY_MAX_ATTEMPTS": 5,
    "NOTIFY_RETRY_SECONDS": "30,120,600,1800",  # backoff after each temporary failure
    "NOTIFY_BASE_URL": "https://api.notifications.service.gov.uk",
    "MAIL_FROM": "no-reply@peerpath.example",
    "DEV_MAILBOX_DIR": DEFAULT_DIR,
    "PEERPATH_ENV": "development",
    "SMTP_URL": "",
}


def option(name: str):
    default = DEFAULTS[name]
    value = current_app.config.get(name) if has_app_context() else None
    if value in (None, ""):
        value = os.environ.get(name, default)
    return type(default)(value) if default is not None else value


def retry_delays() -> list[int]:
    return [int(s) for s in str(option("NOTIFY_RETRY_SECONDS")).split(",") if s.strip()]


def is_production() -> bool:
    env = current_app.config.get("ENV_NAME") if has_app_context() else None
    return (env or option("PEERPATH_ENV")) == "production"


def dev_mailbox_enabled() -> bool:
    """The local mailbox stands in for SMTP only outside production and without SMTP_URL."""
    return not option("SMTP_URL") and not is_production()
