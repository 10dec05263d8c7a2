"""Structured (JSON) logs that carry the trust slug and request or job id, never personal data.

Log records hold ids and outcomes only: handlers must not pass names, e-mail addresses or
answers. The formatter also drops `extra` keys that are not on its allow-list, so a careless
`extra={"email": ...}` does not reach the log.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request

SAFE_EXTRAS = ("trust", "request_id", "job_id", "status", "method", "path_template",
               "duration_ms", "event", "count", "result")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in SAFE_EXTRAS:
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "unknown"
        return json.dumps(entry, default=str)


class ContextFilter(logging.Filter):
    """Adds the request's trust and id to every record logged while serving it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            tenant = g.get("tenant")
            record.trust = getattr(record, "trust", None) or (tenant.slug if tenant else None)
            record.request_id = getattr(record, "request_id", None) or g.get("request_id")
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Alembic announces each of its plugins at import; say only what a migration does.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(root.level, logging.WARNING))


def init_request_logging(app: Flask) -> None:
    logger = logging.getLogger("peerpath.request")

    @app.before_request
    def start_timer():
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        # The URL rule, not the URL: paths can carry tokens and ids.
        rule = request.url_rule.rule if request.url_rule else "unmatched"
        logger.info("request", extra={
            "method": request.method, "path_template": rule, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter()))
                                 * 1000, 1),
        })
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response
