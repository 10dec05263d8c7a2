"""RQ jobs of the admin console (enqueued by dotted name; they take ids only)."""

from __future__ import annotations

from flask import has_app_context


def run_onboarding(run_id: int) -> str:
    from peerpath.admin import onboarding_runs

    if has_app_context():
        return onboarding_runs.perform(run_id).status
    from worker.app import get_app  # the worker's app, built once per worker process

    with get_app().app_context():
        return onboarding_runs.perform(run_id).status
