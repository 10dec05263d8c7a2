"""Guards of the console: a signed-in platform admin (HTML) or an admin token (API)."""

from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, url_for
from flask_login import current_user

from peerpath.admin import tokens
from peerpath.api import rate_limited
from peerpath.errors import error_response
from peerpath.openapi import ADMIN_SECURITY


def enter_platform_realm() -> None:
    """before_request of the console: only here may an admin session count (see auth)."""
    g.platform_realm = True


def platform_admin_required(view):
    """Anonymous, or signed in anywhere else (a trust): to the console's sign-in page."""

    @wraps(view)
    def guarded(*args, **kwargs):
        if not getattr(current_user, "is_authenticated", False) or \
                getattr(current_user, "realm", None) != "platform":
            return redirect(url_for("admin.sign_in", next=request.full_path))
        return view(*args, **kwargs)

    return guarded


def admin_api_access(view):
    """The guard of every platform API operation, above @api_operation (as api_access is in
    the trust API): an admin token or a 401, then the token's rate limits."""
    limited = rate_limited(view)

    @wraps(view)
    def guarded(*args, **kwargs):
        kind, _, text = request.headers.get("Authorization", "").partition(" ")
        text = text.strip()
        admin = tokens.verify(text) if kind.lower() == "bearer" else None
        if admin is None:
            return error_response(401, "Send a valid platform admin token as "
                                       "'Authorization: Bearer pa_...'")
        g.api_admin_email = admin.email
        g.api_rate_key = f"platform:{tokens.token_id(text)}"
        return limited(*args, **kwargs)

    guarded.api_security = ADMIN_SECURITY  # for the OpenAPI document
    return guarded


def actor() -> str:
    """Who is acting, for the audit log: the admin's e-mail (session or token)."""
    return g.get("api_admin_email") or getattr(current_user, "email", "anonymous")


def client_ip() -> str | None:
    return request.remote_addr
