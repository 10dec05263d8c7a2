"""Security headers on every response, and escaping in every template."""

from __future__ import annotations

import secrets

from flask import Flask, g, request


def csp_nonce() -> str:
    """This request's Content-Security-Policy nonce, created on first use (the header and
    every template's script tags read the same one)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' https://assets.nhs.uk",  # the NHS.UK stylesheet loads Frutiger there
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


AUTOESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg", ".jinja")


def autoescape(template_name: str | None) -> bool:
    """Flask escapes .html templates only; the NHS.UK components are .jinja files, and
    their macros print parameters (an action link's text, a textarea's value) as the file
    that defines them is compiled: without this, raw. Their own `| safe` still passes the
    deliberate `html` parameters, which callers build from escaped text or Markup."""
    return template_name is None or template_name.endswith(AUTOESCAPED)


def init_security(app: Flask) -> None:
    # Before any template is compiled (autoescaping is decided at compile time).
    app.jinja_env.autoescape = autoescape

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            # Pages may carry personal data: never kept by browsers or proxies.
            headers["Cache-Control"] = "no-store"
        return response
