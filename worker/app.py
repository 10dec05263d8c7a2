"""The worker's Flask app: built once in the parent, inherited by every forked job."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def get_app():
    from peerpath.app import create_app

    return create_app()
