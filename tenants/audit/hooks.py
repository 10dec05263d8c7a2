"""Authorisation failures in a trust (401 and 403 responses) go into its audit trail."""

from __future__ import annotations

import logging

from flask import Flask, g, request
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.tenancy import bind_session
from tenants.audit.service import record

log = logging.getLogger("peerpath.audit")


def init_audit(app: Flask) -> None:
    @app.after_request
    def audit_refusals(response):
        tenant = g.get("tenant")
        if tenant is None or response.status_code not in (401, 403):
            return response
        # A session of its own: the request's may have been rolled back or be mid-failure.
        try:
            with Session(db.engine) as session:
                bind_session(session, tenant)
                rule = request.url_rule.rule if request.url_rule else "unmatched"
                record("authorisation.refused", session=session,
                       detail={"status": response.status_code, "method": request.method,
                               "route": rule})
                session.commit()
        except Exception:  # the refusal stands even if its audit entry cannot be written
            log.exception("could not audit a refusal")
        return response
