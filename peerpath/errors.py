"""One place that turns every error into a page or JSON body a person can act on.

HTML requests get an NHS.UK-styled page; /api/ requests get JSON. Nothing shows a stack
trace; unexpected errors are logged with the request id and no request data.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from peerpath.refusal import Refused
from peerpath.tenancy import TenantSuspended, UnknownTenant

log = logging.getLogger("peerpath.errors")

PAGES = {400: "errors/400.html", 403: "errors/403.html", 404: "errors/404.html",
         503: "errors/503.html"}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str, **extra):
    if wants_json():
        return jsonify({"error": {"status": status, "message": message, **extra}}), status
    template = PAGES.get(status, "errors/500.html" if status >= 500 else "errors/400.html")
    return render_template(template, status=status, message=message,
                           tenant=g.get("tenant")), status


def init_errors(app: Flask) -> None:
    @app.errorhandler(UnknownTenant)
    def unknown_tenant(_exc):
        g.pop("tenant", None)
        return error_response(404, "Page not found")

    @app.errorhandler(TenantSuspended)
    def suspended(_exc):
        response = error_response(503, "This trust's service is temporarily unavailable")
        return response[0], 503, {"Retry-After": "3600"}

    @app.errorhandler(CSRFError)
    def csrf_failed(_exc):
        return error_response(400, "Your form expired or was sent from another page. "
                                   "Go back, reload the page and try again.")

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        status = exc.status if wants_json() else 400
        return error_response(status, exc.message)

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
