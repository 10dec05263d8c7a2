"""Columns for special-category data (answers, equality monitoring, communication needs):
JSON documents encrypted with the trust's data key (peerpath.crypto.EncryptedText).

The database column is TEXT; each column names its purpose, so a value copied into another
column or trust does not decrypt there.
"""

from __future__ import annotations

import json

from sqlalchemy.types import TypeDecorator

from peerpath.crypto import EncryptedText


class SensitiveJSON(TypeDecorator):
    """A JSON document held encrypted; EncryptedText (the impl) does the encryption."""

    impl = EncryptedText
    cache_ok = True

    def __init__(self, purpose: str):
        super().__init__(purpose)
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)
