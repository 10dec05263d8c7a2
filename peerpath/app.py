"""The app factory: the one place that sees every part of the platform."""

from __future__ import annotations

from flask import Flask
from redis import Redis

from peerpath import admin, auth, devmailbox, openapi, platform_views, rendering, trust_summary
from peerpath.api import TRUST_API_PREFIX, register_trust_api
from peerpath.config import load_config
from peerpath.errors import init_errors
from peerpath.extensions import csrf, db, limiter, login_manager
from peerpath.log import configure_logging, init_request_logging
from peerpath.pooling import install_idle_ping
from peerpath.routing import init_routing
from peerpath.security import init_security
from peerpath.static_files import init_static_files
from peerpath.ui import init_ui
from tenants import load_data_protection, load_models, load_reactions, tenant_setup_steps
from tenants.api_tokens import api as api_tokens_api
from tenants.api_tokens import views as api_tokens_views
from tenants.applications import api as applications_api
from tenants.applications import listing as applications_listing
from tenants.applications import service as applications_service
from tenants.applications import settings_views as deadline_settings_views
from tenants.applications import views_account, views_apply, views_pages
from tenants.audit import views as audit_views
from tenants.audit.hooks import init_audit
from tenants.cohorts import api as cohorts_api
from tenants.cohorts import service as cohorts_service
from tenants.cohorts import views as cohort_views
from tenants.conditions import api as conditions_api
from tenants.conditions import views as condition_views
from tenants.coordinators import service as coordinators
from tenants.coordinators import team as coordinator_team
from tenants.coordinators import team_views as coordinator_team_views
from tenants.coordinators import views as coordinator_views
from tenants.eligibility import api as eligibility_api
from tenants.eligibility import views as eligibility_views
from tenants.eligibility import views_builder as _eligibility_builder  # noqa: F401 - adds its routes
from tenants.eligibility import views_preview as _eligibility_preview  # noqa: F401 - adds its routes
from tenants.infosessions import api as infosessions_api
from tenants.infosessions import views as infosession_views
from tenants.interviews import api as interviews_api
from tenants.interviews import views as interview_views
from tenants.interviews import views_applicant as interview_booking_views
from tenants.notifications import api as notifications_api
from tenants.notifications import letters_views
from tenants.notifications import settings_views as notification_settings_views
from tenants.notifications import views as notification_views
from tenants.posts import api as posts_api
from tenants.posts import views as posts_views
from tenants.privacy import views as privacy_views
from tenants.public import api as public_api
from tenants.public import views as public_views
from tenants.reasons import api as reasons_api
from tenants.reasons import views as reason_views
from tenants.reports import views as reports_views
from tenants.retention import subject_views
from tenants.retention import views as retention_views
from tenants.shortlisting import views as shortlisting_views
from tenants.training import api as training_api
from tenants.training import views as training_views
from tenants.training import views_applicant as place_response_views
from tenants.trustpage import api as trust_page_api
from tenants.trustpage import views as trust_page_views
from tenants.workspace import api as workspace_api
from tenants.workspace import navigation as workspace_navigation
from tenants.workspace import views as workspace_views
from tenants.workspace import views_deadlines as workspace_deadlines
from tenants.workspace import views_entry as _workspace_entry  # noqa: F401 - adds its routes


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask("peerpath", template_folder="templates", static_folder="static")
    app.jinja_environment = rendering.Environment  # before anything makes app.jinja_env
    app.config.update(load_config())
    app.config.update(overrides or {})
    configure_logging(app.config["LOG_LEVEL"])

    init_request_logging(app)  # first, so its timer and request id wrap every other hook
    install_idle_ping()
    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    app.extensions["redis"] = Redis.from_url(app.config["REDIS_URL"])
    app.extensions["tenant_metadata"] = load_models()
    app.extensions["tenant_setup_steps"] = tenant_setup_steps()
    load_data_protection()
    load_reactions()
    auth.register_loader("trust", coordinators.load_for_login)
    app.extensions["invite_coordinator"] = coordinator_team.invite  # console onboarding

    init_security(app)  # sets autoescaping before init_ui compiles the attributes macro
    init_ui(app)
    init_routing(app)
    init_errors(app)
    init_audit(app)

    app.register_blueprint(platform_views.bp)
    admin.init_app(app)
    app.register_blueprint(public_views.bp, url_prefix="/trusts/<trust_slug>")
    app.register_blueprint(coordinator_views.bp, url_prefix="/trusts/<trust_slug>/coordinator")
    settings = "/trusts/<trust_slug>/coordinator/settings"
    app.register_blueprint(cohort_views.bp, url_prefix=settings)
    app.register_blueprint(eligibility_views.bp, url_prefix=settings + "/eligibility")
    app.register_blueprint(reason_views.bp, url_prefix=settings + "/reasons")
    app.register_blueprint(condition_views.bp, url_prefix=settings + "/conditions")
    app.register_blueprint(deadline_settings_views.bp, url_prefix=settings + "/deadlines")
    app.register_blueprint(infosession_views.settings_bp, url_prefix=settings + "/drop-ins")
    app.register_blueprint(infosession_views.public_bp, url_prefix="/trusts/<trust_slug>/drop-ins")
    for applicant_bp in (views_apply.bp, views_account.bp, views_pages.bp):
        app.register_blueprint(applicant_bp, url_prefix="/trusts/<trust_slug>")
    trust_summary.register(app, watched=applications_listing.WATCHED,
                           compute=applications_listing.public_summary)
    cohorts_service.set_places_offered_counter(applications_service.places_offered)
    app.register_blueprint(privacy_views.bp, url_prefix="/trusts/<trust_slug>")
    app.register_blueprint(trust_page_views.bp, url_prefix="/trusts/<trust_slug>")
    for bp in (audit_views.bp, retention_views.bp, subject_views.bp):
        app.register_blueprint(bp, url_prefix="/trusts/<trust_slug>/coordinator")
    app.register_blueprint(api_tokens_views.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/api-tokens")
    app.register_blueprint(openapi.bp)
    register_trust_api(app, public_api.bp, api_tokens_api.bp, cohorts_api.bp,
                       eligibility_api.bp, infosessions_api.bp, applications_api.bp,
                       workspace_api.bp, interviews_api.bp, training_api.bp,
                       notifications_api.bp, posts_api.bp, trust_page_api.bp,
                       reasons_api.bp, conditions_api.bp)
    csrf.exempt(notifications_api.callbacks)  # Notify's callback: its own bearer token
    app.register_blueprint(notifications_api.callbacks, url_prefix=TRUST_API_PREFIX)
    app.register_blueprint(coordinator_team_views.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/team")
    app.register_blueprint(workspace_views.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/cohorts")
    app.register_blueprint(condition_views.places_bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/cohorts")
    app.register_blueprint(workspace_deadlines.bp, url_prefix="/trusts/<trust_slug>/coordinator")
    for bp in (interview_views.bp, training_views.bp, shortlisting_views.bp):
        app.register_blueprint(bp, url_prefix="/trusts/<trust_slug>/coordinator")
    for bp in (interview_booking_views.bp, place_response_views.bp):
        app.register_blueprint(bp, url_prefix="/trusts/<trust_slug>")
    app.register_blueprint(notification_views.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator")
    app.register_blueprint(notification_settings_views.bp,
                           url_prefix=settings + "/notifications")
    app.register_blueprint(posts_views.bp, url_prefix="/trusts/<trust_slug>/coordinator/posts")
    app.register_blueprint(reports_views.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/reports")
    app.register_blueprint(letters_views.bp, url_prefix="/trusts/<trust_slug>/coordinator")
    app.register_blueprint(workspace_navigation.bp,
                           url_prefix="/trusts/<trust_slug>/coordinator/areas")
    devmailbox.init_app(app)
    init_static_files(app)  # last, so /static/ is served before any other middleware
    return app
