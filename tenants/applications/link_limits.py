"""How often sign-in links may be asked for: per e-mail address, and per network.

Per address, as often as links.issue would send one (LINKS_PER_WINDOW per RATE_WINDOW), so
the page never says "we have sent you a link" when it has not. Per network, loosely: a
drop-in room of twenty people on one Wi-Fi, each asking once or twice, is never refused.
Every address typed counts, known or not, so the answer still tells nobody who applied.
Keys hold pseudonyms only (peerpath.throttle.pseudonym), never an address or e-mail.
"""

from __future__ import annotations

import datetime as dt
import time

from flask import current_app, request
from limits import parse

from peerpath.datewords import nhs_time
from peerpath.extensions import limiter
from peerpath.tenancy import current_tenant
from peerpath.throttle import minutes, pseudonym
from tenants.applications import links

PER_EMAIL = parse(f"{links.LINKS_PER_WINDOW} per {int(links.RATE_WINDOW.total_seconds())} "
                  "seconds")
PER_NETWORK = parse("100 per 15 minutes")


def _counters(email: str):
    who = pseudonym(f"{current_tenant().slug}:{email.strip().lower()}")
    yield PER_EMAIL, ("sign-in-link", "email", who)
    yield PER_NETWORK, ("sign-in-link", "network", pseudonym(request.remote_addr or "unknown"))


def wait_before_link(email: str) -> int | None:
    """Seconds to wait before another link may be asked for, or None (and this request
    is counted)."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return None
    counters = list(_counters(email))
    waits = [int(limiter.limiter.get_window_stats(item, *ids).reset_time - time.time()) + 1
             for item, ids in counters if not limiter.limiter.test(item, *ids)]
    if waits:
        return max(waits)
    for item, ids in counters:
        limiter.limiter.hit(item, *ids)
    return None


def too_many_message(seconds: int) -> str:
    """E.g. "You have asked for a sign-in link too many times. Try again in 12 minutes
    (after 2:45pm)."."""
    after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    return (f"You have asked for a sign-in link too many times. Try again in "
            f"{minutes(seconds)} (after {nhs_time(after)}).")
