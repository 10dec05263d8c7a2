"""The app factory: the one place that sees every part of the platform."""

from __future__ import annotations

from flask import Flask
from redis import Redis

from peerpath import admin, auth, platform_views
from peerpath.api import register_trust_api
from peerpath.config import load_config
from peerpath.errors import init_errors
from peerpath.extensions import csrf, db, limiter, login_manager
from peerpath.log import configure_logging, init_request_logging
from peerpath.routing import init_routing
from peerpath.security import init_security
from peerpath.ui import init_ui
from tenants import load_models, tenant_setup_steps
from tenants.coordinators import service as coordinators
from tenants.coordinators import views as coordinator_views
from tenants.public import api as public_api
from tenants.public import views as public_views


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask("peerpath", template_folder="templates", static_folder="static")
    app.config.update(load_config())
    app.config.update(overrides or {})
    configure_logging(app.config["LOG_LEVEL"])

    init_request_logging(app)  # first, so its timer and request id wrap every other hook
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    app.extensions["redis"] = Redis.from_url(app.config["REDIS_URL"])
    app.extensions["tenant_metadata"] = load_models()
    app.extensions["tenant_setup_steps"] = tenant_setup_steps()
    auth.register_loader("trust", coordinators.load_for_login)

    init_ui(app)
    init_security(app)
    init_routing(app)
    init_errors(app)

    app.register_blueprint(platform_views.bp)
    admin.init_app(app)
    app.register_blueprint(public_views.bp, url_prefix="/trusts/<trust_slug>")
    app.register_blueprint(coordinator_views.bp, url_prefix="/trusts/<trust_slug>/coordinator")
    register_trust_api(app, public_api.bp)
    return app
