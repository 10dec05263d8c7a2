"""Columns for special-category data (answers, equality monitoring, communication needs).

Data protection (issue 9) provides ``peerpath.crypto.EncryptedText``; until it is merged
these columns store JSON text unencrypted through the same interface, so switching is a
change of ``_impl`` only (the database column stays TEXT).
"""

from __future__ import annotations

import json

from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

try:  # pragma: no cover - which branch runs depends on the merge state
    from peerpath.crypto import EncryptedText as _impl

    ENCRYPTED = True
except ImportError:  # pragma: no cover
    _impl = Text
    ENCRYPTED = False


class SensitiveJSON(TypeDecorator):
    """A JSON document held in a (when available, encrypted) text column."""

    impl = _impl
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        # An EncryptedText impl encrypts this text in its own bind processor.
        return json.dumps(value, sort_keys=True, default=str)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)
