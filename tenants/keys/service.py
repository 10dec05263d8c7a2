"""Onboarding step: a new trust gets its own data key."""

from __future__ import annotations

from peerpath.crypto import create_data_key


def create_trust_data_key(session, tenant) -> None:
    create_data_key(session, tenant)
