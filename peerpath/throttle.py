"""Sign-in throttling that slows guessing down without letting anyone lock a person out.

Only failed attempts count (a password or code that was wrong). Four counters, kept by
Flask-Limiter's rate-limit strategy in Redis:

1. per address, any account: 30 failures per 15 minutes. Stops one machine spraying
   guesses across many accounts. It only ever blocks that address.
2. per (address, account): 5 failures per 15 minutes. Stops one machine guessing one
   account; the real person at another address is unaffected.
3. per account, any address: 20 failures per hour. Past this the account is "under attack"
   and it is NOT locked: instead each address gets one attempt per minute at it (4.).
   A botnet gains little (one guess a minute per address, and a password alone still does
   not pass the second factor), while the real person still signs in at the first try.

So no count that an attacker can drive ever refuses the real person at their own address:
the worst they can cause is a one-a-minute pace on a mistyped password.

Keys hold only pseudonyms: an HMAC (keyed with SECRET_KEY) of the address and of the
account identifier (e.g. the e-mail address), never the values themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, request
from limits import parse

from peerpath.extensions import limiter

PER_ADDRESS = parse("30 per 15 minutes")
PER_ADDRESS_ACCOUNT = parse("5 per 15 minutes")
PER_ACCOUNT = parse("20 per hour")
UNDER_ATTACK_PACE = parse("1 per minute")


def pseudonym(value: str) -> str:
    key = current_app.secret_key
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


class SignInThrottle:
    """The throttle for one sign-in attempt: `retry_after()` before, `failed()` after."""

    def __init__(self, realm: str, scope: str, account: str):
        self.address = ("sign-in", "address", pseudonym(request.remote_addr or "unknown"))
        who = pseudonym(f"{realm}:{scope}:{account.strip().lower()}")
        self.account = ("sign-in", "account", who)
        self.address_account = (*self.address, who)

    def _checks(self):
        yield PER_ADDRESS, self.address
        yield PER_ADDRESS_ACCOUNT, self.address_account
        if not limiter.limiter.test(PER_ACCOUNT, *self.account):
            yield UNDER_ATTACK_PACE, self.address_account

    def retry_after(self) -> int | None:
        """Seconds to wait if this attempt must not be tried now; None if it may go ahead."""
        if not current_app.config.get("RATELIMIT_ENABLED", True):
            return None
        waits = [int(limiter.limiter.get_window_stats(item, *ids).reset_time - time.time()) + 1
                 for item, ids in self._checks() if not limiter.limiter.test(item, *ids)]
        return max(waits) if waits else None

    def failed(self) -> None:
        for item, ids in ((PER_ADDRESS, self.address),
                          (PER_ADDRESS_ACCOUNT, self.address_account),
                          (PER_ACCOUNT, self.account),
                          (UNDER_ATTACK_PACE, self.address_account)):
            limiter.limiter.hit(item, *ids)


def minutes(seconds: int) -> str:
    whole = max(1, -(-seconds // 60))
    return f"{whole} minute" + ("" if whole == 1 else "s")
