"""Magic links: how applicants sign in (and come back to a draft) without a password.

The token is 32 random bytes shown once, in the e-mail; only its SHA-256 is stored. A link
works once, for 30 minutes, and only in the trust that issued it (the table is in the
trust's schema). At most LINKS_PER_WINDOW links per applicant per RATE_WINDOW, so the
form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import func, select, update

from peerpath.links import external_url
from tenants.applications.models import SignInLink

LIFETIME = dt.timedelta(minutes=30)
RATE_WINDOW = dt.timedelta(minutes=15)
LINKS_PER_WINDOW = 3
GRANT_SECONDS = int(LIFETIME.total_seconds())


class TooManyLinks(Exception):
    pass


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def issue(session, applicant_id: int, purpose: str = "sign_in",
          application_id: int | None = None) -> str:
    """A new token for the applicant; raises TooManyLinks over the rate limit."""
    recent = session.scalar(select(func.count()).select_from(SignInLink).where(
        SignInLink.applicant_id == applicant_id,
        SignInLink.created_at > _now() - RATE_WINDOW))
    if recent >= LINKS_PER_WINDOW:
        raise TooManyLinks()
    token = secrets.token_urlsafe(32)
    session.add(SignInLink(applicant_id=applicant_id, token_hash=_hash(token), purpose=purpose,
                           application_id=application_id, expires_at=_now() + LIFETIME))
    session.flush()
    return token


def grant_for(session, token: str) -> str | None:
    """What opening a live link grants this browser: the token's hash (the token itself
    stays out of the session and of every later URL: peerpath.grants). Uses nothing up."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    token_hash = _hash(token)
    return token_hash if peek(session, token_hash) is not None else None


def peek(session, token_hash: str | None) -> SignInLink | None:
    """The unused, unexpired link with this token hash (without using it), or None."""
    if not isinstance(token_hash, str) or len(token_hash) != 64:
        return None
    return session.scalars(select(SignInLink).where(
        SignInLink.token_hash == token_hash, SignInLink.used_at.is_(None),
        SignInLink.expires_at > _now())).one_or_none()


def redeem(session, token_hash: str | None) -> SignInLink | None:
    """Use a link exactly once: a single UPDATE, so two clicks at once cannot both win."""
    link = peek(session, token_hash)
    if link is None:
        return None
    used = session.execute(update(SignInLink).where(
        SignInLink.id == link.id, SignInLink.used_at.is_(None)).values(used_at=func.now())
        .returning(SignInLink.id)).first()
    return link if used else None


# --- Links that messages carry ------------------------------------------------------------
# Built here, with the links they lead to, so every domain that writes to an applicant
# (applications, interviews, shortlisting, training, the workspace) takes them from one place.


def sign_in_link() -> str:
    """The applicant's sign-in page (they ask for a fresh single-use link there)."""
    return external_url("applicant_account.sign_in")


def support_link() -> str:
    """The trust's "help in a crisis" page, for messages that carry hard news."""
    return external_url("applicant_pages.crisis_page")


def interview_booking_link(application_id: int) -> str:
    return external_url("interview_booking.choose", application_id=application_id)
