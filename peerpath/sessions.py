"""Server-side sign-in sessions, shared by coordinators (realm "trust"), platform admins
(realm "platform") and applicants (realm "applicant", signed in by a magic link).

The signed Flask cookie carries only a random session id. The record it points at lives in
Redis under `peerpath:session:<realm>:<scope>:<sid>` (scope = the trust's slug, or
"platform"), holding the user id and two timestamps. Every request that looks at
`current_user` goes through `auth.load_user`, which calls `check()`: no record, the wrong
user, an idle gap over 30 minutes or an age over 12 hours, and the request is anonymous and
the record is gone. So signing out, "sign out everywhere" and timeouts are enforced here,
not by trusting the cookie.

Keys hold ids only (realm, trust slug, random ids, user ids), never e-mail addresses.

Usage, for any realm:

    start_session("trust", tenant.slug, coordinator.id)   # rotates: clears the old session
    login_user(CoordinatorLogin(...))                      # Flask-Login, after start_session
    ...
    end_session()                                          # sign-out: record deleted
    end_all_sessions("trust", tenant.slug, coordinator.id) # e.g. deactivated account

Between the password and the second factor a sign-in is "pending": `begin_pending()` keeps
which user passed the first step (and a small scratch dict, e.g. an enrolment secret) in a
short-lived record of its own, with a count of wrong codes.
"""

from __future__ import annotations

import secrets
import time

from flask import current_app, session
from flask_login import logout_user

IDLE_TIMEOUT = 30 * 60
ABSOLUTE_TIMEOUT = 12 * 60 * 60
PENDING_TIMEOUT = 10 * 60
PENDING_MAX_ATTEMPTS = 5
PLATFORM_SCOPE = "platform"

_SESSION_KEY = "_pp_session"  # "<realm>:<scope>:<sid>" in the signed cookie
_PENDING_KEY = "_pp_pending"


def _redis():
    return current_app.extensions["redis"]


def _now() -> int:
    return int(time.time())


def record_key(realm: str, scope: str, sid: str) -> str:
    return f"peerpath:session:{realm}:{scope}:{sid}"


def index_key(realm: str, scope: str, user_id: int | str) -> str:
    """The set of one user's live session ids, for "sign out everywhere"."""
    return f"peerpath:sessions:{realm}:{scope}:{user_id}"


def pending_key(realm: str, scope: str, pid: str) -> str:
    return f"peerpath:pending:{realm}:{scope}:{pid}"


REALMS = ("trust", "platform", "applicant")


def _check_names(realm: str, scope: str) -> None:
    if realm not in REALMS or not scope or ":" in scope:
        raise ValueError(f"realm must be one of {REALMS} and scope a slug")


# --- signed-in sessions -----------------------------------------------------------------

def start_session(realm: str, scope: str, user_id: int) -> str:
    """Rotate the session at sign-in: a fresh cookie (no fixation) and a new server record.

    Call Flask-Login's `login_user` right after this. Returns the new session id.
    """
    _check_names(realm, scope)
    _forget_current()
    session.clear()
    sid = secrets.token_urlsafe(32)
    now = _now()
    index = index_key(realm, scope, user_id)
    pipe = _redis().pipeline()
    pipe.hset(record_key(realm, scope, sid),
              mapping={"user_id": str(user_id), "created": now, "last_seen": now})
    pipe.expire(record_key(realm, scope, sid), IDLE_TIMEOUT)
    pipe.sadd(index, sid)
    pipe.expire(index, ABSOLUTE_TIMEOUT)
    pipe.execute()
    _prune_index(realm, scope, user_id)
    session[_SESSION_KEY] = f"{realm}:{scope}:{sid}"
    return sid


def current_session() -> tuple[str, str, str] | None:
    """(realm, scope, sid) named by the cookie, whether or not the record still exists."""
    value = session.get(_SESSION_KEY)
    if not isinstance(value, str) or value.count(":") != 2:
        return None
    realm, scope, sid = value.split(":")
    return realm, scope, sid


def signed_in_user(realm: str, scope: str) -> str | None:
    """The user id of this request's live session in `realm` and `scope`, else None;
    refreshes last-seen. A dead session (idle or too old) is deleted and forgotten."""
    named = current_session()
    if named is None or named[:2] != (realm, scope):
        return None
    key = record_key(*named)
    stored = _redis().hgetall(key)
    now = _now()
    user_id = stored.get(b"user_id", b"").decode()
    alive = (
        user_id
        and now - int(stored.get(b"last_seen", 0)) <= IDLE_TIMEOUT
        and now - int(stored.get(b"created", 0)) <= ABSOLUTE_TIMEOUT
    )
    if not alive:
        if stored:
            _delete(realm, scope, named[2], user_id)
        session.pop(_SESSION_KEY, None)
        return None
    remaining = ABSOLUTE_TIMEOUT - (now - int(stored[b"created"]))
    pipe = _redis().pipeline()
    pipe.hset(key, "last_seen", now)
    pipe.expire(key, max(1, min(IDLE_TIMEOUT, remaining)))
    pipe.execute()
    return user_id


def check(realm: str, scope: str, user_id: str) -> bool:
    """Whether this request's cookie names a live session of this user (Flask-Login's user
    loader asks this). A session of someone else is ended."""
    found = signed_in_user(realm, scope)
    if found is not None and found != str(user_id):
        _delete(realm, scope, current_session()[2], found)
        session.pop(_SESSION_KEY, None)
    return found == str(user_id)


def end_session() -> None:
    """Sign out: delete this session's record, then clear Flask-Login and the cookie."""
    _forget_current()
    logout_user()
    session.clear()


def end_all_sessions(realm: str, scope: str, user_id: int) -> int:
    """Sign a user out everywhere (deactivation, password or role change). Returns how many."""
    _check_names(realm, scope)
    index = index_key(realm, scope, user_id)
    sids = [s.decode() for s in _redis().smembers(index)]
    pipe = _redis().pipeline()
    for sid in sids:
        pipe.delete(record_key(realm, scope, sid))
    pipe.delete(index)
    results = pipe.execute()
    return sum(results[:-1])


def live_session_count(realm: str, scope: str, user_id: int) -> int:
    _prune_index(realm, scope, user_id)
    return _redis().scard(index_key(realm, scope, user_id))


def _forget_current() -> None:
    """Delete the server-side records this cookie names (signed-in and pending)."""
    end_pending()
    named = current_session()
    if named is None:
        return
    key = record_key(*named)
    user_id = _redis().hget(key, "user_id")
    _delete(*named, user_id.decode() if user_id else "")


def _delete(realm: str, scope: str, sid: str, user_id: str) -> None:
    pipe = _redis().pipeline()
    pipe.delete(record_key(realm, scope, sid))
    if user_id:
        pipe.srem(index_key(realm, scope, user_id), sid)
    pipe.execute()


def _prune_index(realm: str, scope: str, user_id: int | str) -> None:
    """Drop ids of sessions that expired by themselves (Redis TTL) from the user's index."""
    index = index_key(realm, scope, user_id)
    sids = [s.decode() for s in _redis().smembers(index)]
    if not sids:
        return
    pipe = _redis().pipeline()
    for sid in sids:
        pipe.exists(record_key(realm, scope, sid))
    dead = [sid for sid, exists in zip(sids, pipe.execute(), strict=True) if not exists]
    if dead:
        _redis().srem(index, *dead)


# --- pending sign-ins (password done, second factor not yet) -----------------------------

def begin_pending(realm: str, scope: str, user_id: int, **scratch: str) -> str:
    """After a correct password: rotate the cookie and remember who is half signed in."""
    _check_names(realm, scope)
    _forget_current()
    session.clear()
    pid = secrets.token_urlsafe(32)
    key = pending_key(realm, scope, pid)
    _redis().hset(key, mapping={"user_id": str(user_id), "attempts": 0, **scratch})
    _redis().expire(key, PENDING_TIMEOUT)
    session[_PENDING_KEY] = f"{realm}:{scope}:{pid}"
    return pid


def pending(realm: str, scope: str) -> dict | None:
    """The pending sign-in of this realm and scope: {"user_id": int, ...scratch} or None."""
    value = session.get(_PENDING_KEY)
    if not isinstance(value, str) or value.count(":") != 2:
        return None
    p_realm, p_scope, pid = value.split(":")
    if (p_realm, p_scope) != (realm, scope):
        return None
    stored = _redis().hgetall(pending_key(realm, scope, pid))
    if not stored:
        return None
    data = {k.decode(): v.decode() for k, v in stored.items()}
    data["user_id"] = int(data["user_id"])
    data["attempts"] = int(data["attempts"])
    return data


def update_pending(realm: str, scope: str, **scratch: str) -> None:
    value = session.get(_PENDING_KEY)
    if isinstance(value, str) and value.startswith(f"{realm}:{scope}:"):
        _redis().hset(pending_key(*value.split(":")), mapping=scratch)


def note_pending_failure(realm: str, scope: str) -> bool:
    """Count a wrong code; past the limit the pending sign-in ends. True while it may go on."""
    value = session.get(_PENDING_KEY)
    if not isinstance(value, str) or not value.startswith(f"{realm}:{scope}:"):
        return False
    key = pending_key(*value.split(":"))
    if _redis().ttl(key) <= 0:  # gone already: do not recreate it without an expiry
        return False
    if _redis().hincrby(key, "attempts", 1) >= PENDING_MAX_ATTEMPTS:
        end_pending()
        return False
    return True


def end_pending() -> None:
    value = session.pop(_PENDING_KEY, None)
    if isinstance(value, str) and value.count(":") == 2:
        _redis().delete(pending_key(*value.split(":")))
