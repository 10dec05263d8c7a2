"""gunicorn's access log without secrets: `--logger-class peerpath.accesslog.RedactingLogger`.

Sign-in, invitation and drop-in booking links carry a token in their path; an access log
that keeps full request lines would keep live credentials. Every value the access log
format can print (request line, path, query string, referer, headers) passes through
`redact`, which replaces the token path segment and drops the query string.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

TOKEN_SEGMENT = re.compile(r"(/(?:sign-in|invitation|booked|cancel)/)[^/?#\s\"]+")
QUERY = re.compile(r"\?[^\s\"]*")
REDACTED = "[redacted]"


def redact(value: str) -> str:
    return QUERY.sub("?" + REDACTED, TOKEN_SEGMENT.sub(r"\1" + REDACTED, value))


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        redacted = {key: redact(value) for key, value in atoms.items() if isinstance(value, str)}
        atoms.update(redacted)
        if atoms.get("q"):
            atoms["q"] = REDACTED
        return atoms
