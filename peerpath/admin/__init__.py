"""The platform admin console (/admin/) and the platform JSON API (/api/v1/platform/)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from peerpath import auth
    from peerpath.admin import accounts, api, signin, views  # noqa: F401 - signin adds routes
    from peerpath.api import register_api

    auth.register_loader("platform", accounts.load_for_login)
    app.register_blueprint(views.bp, url_prefix="/admin")
    register_api(app, api.bp, url_prefix=api.PLATFORM_API_PREFIX)  # bearer tokens, no CSRF
