"""The versioned JSON API: trust endpoints live under /api/v1/trusts/<slug>/.

Each domain has an `api.py` blueprint; the app factory registers them here. API calls
authenticate with bearer tokens, not cookies, so CSRF does not apply to them; errors are
JSON bodies (see peerpath.errors).
"""

from __future__ import annotations

from flask import Blueprint, Flask

from peerpath.extensions import csrf

API_PREFIX = "/api/v1"
TRUST_API_PREFIX = API_PREFIX + "/trusts/<trust_slug>"


def register_trust_api(app: Flask, *blueprints: Blueprint) -> None:
    for bp in blueprints:
        csrf.exempt(bp)
        app.register_blueprint(bp, url_prefix=TRUST_API_PREFIX)
