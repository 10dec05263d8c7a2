"""The platform admin console (/admin/) and the platform JSON API (/api/v1/platform/)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from peerpath import auth
    from peerpath.admin import accounts, api, signin, views  # noqa: F401 - signin adds routes
    from peerpath.extensions import csrf

    auth.register_loader("platform", accounts.load_for_login)
    app.register_blueprint(views.bp, url_prefix="/admin")
    csrf.exempt(api.bp)  # bearer tokens, not cookies
    app.register_blueprint(api.bp, url_prefix=api.PLATFORM_API_PREFIX)
