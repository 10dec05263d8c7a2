"""One place that turns every error into a page or JSON body a person can act on.

HTML requests get an NHS.UK-styled page; /api/ requests get JSON. Nothing shows a stack
trace; unexpected errors are logged with the request id and no request data.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from peerpath.extensions import db, login_manager
from peerpath.tenancy import TenantSuspended, UnknownTenant

log = logging.getLogger("peerpath.errors")

PAGES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
         413: "errors/413.html", 503: "errors/503.html"}
# PostgreSQL or Redis unreachable: the service is down, not the request wrong.
OUTAGES = (OperationalError, InterfaceError, PoolTimeoutError, RedisConnectionError,
           RedisTimeoutError)
OUTAGE_MESSAGE = "Sorry, there is a problem with the service"


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, template: str | None = None, **extra):
    if wants_json():
        return jsonify({"error": {"status": status, "message": message, **extra}}), status
    template = template or PAGES.get(
        status, "errors/500.html" if status >= 500 else "errors/400.html")
    return render_template(template, status=status, message=message,
                           tenant=g.get("tenant")), status


def without_signed_in_user() -> None:
    """Error pages of a trust that is suspended, or of a database that is down, must not
    load the signed-in person: their loader needs the trust's (unbound) session or the
    database itself, so the error page would fail in turn."""
    g._login_user = login_manager.anonymous_user()


def outage_response():
    without_signed_in_user()
    try:
        db.session.remove()  # its connection is broken; give it back without a round trip
    except Exception:  # a dead connection may refuse even that
        log.debug("session removal failed during an outage")
    body, status = error_response(503, OUTAGE_MESSAGE, template="errors/500.html")
    return body, status, {"Retry-After": "30"}


def init_errors(app: Flask) -> None:
    @app.errorhandler(UnknownTenant)
    def unknown_tenant(_exc):
        g.pop("tenant", None)
        return error_response(404, "Page not found")

    @app.errorhandler(TenantSuspended)
    def suspended(_exc):
        without_signed_in_user()
        response = error_response(503, "This trust's service is temporarily unavailable")
        return response[0], 503, {"Retry-After": "3600"}

    @app.errorhandler(ServiceUnavailable)
    def unavailable(_exc):
        return outage_response()

    for outage in OUTAGES:
        @app.errorhandler(outage)
        def service_down(exc):
            log.warning("service unavailable", extra={"event": type(exc).__name__})
            return outage_response()

    @app.errorhandler(CSRFError)
    def csrf_failed(_exc):
        return error_response(400, "Your form expired or was sent from another page. "
                                   "Go back, reload the page and try again.")

    @app.errorhandler(ValidationError)
    def invalid(exc: ValidationError):
        return error_response(422, "The request has invalid fields", fields=exc.messages)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body, status = error_response(exc.code or 500, exc.description or exc.name)
        # Keep the exception's own headers, e.g. Allow on a 405 (RFC 9110).
        kept = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        return body, status, kept

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_response(500, "Sorry, there is a problem with the service")
