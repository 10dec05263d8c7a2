"""Checking an uploaded story photo: its size, its real type (from its bytes) and its
description, so every photo on the public page has alt text."""

from __future__ import annotations

from peerpath.refusal import Refused
from tenants.trustpage.service import PHOTO_MAX_BYTES, photo_type_of

TOO_BIG = f"The photo must be smaller than {PHOTO_MAX_BYTES // 1024} KB"
WRONG_TYPE = "The photo must be a JPEG or PNG file"
NO_ALT = "Describe the photo for people who cannot see it"


def uploaded_photo(upload, alt_text: str | None) -> bytes | None:
    """The photo's bytes, or None when none was chosen; Refused (on field "photo" or
    "photo_alt") when it is too big, not a JPEG or PNG, or not described."""
    if upload is None or not upload.filename:
        return None
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise Refused(TOO_BIG, field="photo")
    if not data or photo_type_of(data) is None:
        raise Refused(WRONG_TYPE, field="photo")
    if not (alt_text or "").strip():
        raise Refused(NO_ALT, field="photo_alt")
    return data
