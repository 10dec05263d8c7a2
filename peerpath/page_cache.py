"""A short-lived cache of public pages for visitors without a session (a micro-cache).

A trust's public page is the same for every visitor who is not signed in, and it is (with
the list of trusts on `/`) the most visited page of a recruitment week: rendering it took
five statements and most of its 6-8 ms (issue 19). `@for_visitors` keeps the rendered page
in this process for VISITOR_PAGE_SECONDS (PEERPATH_VISITOR_PAGE_SECONDS, 10 by default; 0
turns it off), keyed by everything the page is made of outside its own tables: the host and
full path, the trust as this request looked it up (so a rename or a changed contact shows at
once), and the day. A hit still looks the trust up (a suspended or offboarded trust is
refused as before), then serves the page with this request's CSP nonce put in place of the
one it was rendered with. The response is built afresh (security headers, `Cache-Control:
no-store`); only the page's text is kept.

- Who is never served from it: a request with a session cookie (a signed-in applicant or
  coordinator, an EOI in progress, anything with a flash message), anything but a GET. What
  is never kept: a response that is not a rendered 200 page, or one that started a session.
- Where it is used: the list of trusts (`/`, its searches and pages), a trust's page and its
  list of cohorts to apply to (the first EOI step): the public pages that hold no form. They
  hold nothing about any applicant.
- How fresh it stays: a transaction of this process that writes anything (ORM flushes or
  UPDATE/INSERT/DELETE statements) but records of what happened (QUIET: the audit trails and
  the message log, which every page view and message adds to) forgets, when it commits, its
  trust's pages and every page of `/` (which shows every trust; a platform write such as a
  trust suspended or onboarded forgets `/` too). A change made elsewhere (another gunicorn
  worker, the CLI, a worker process) shows within the cache's seconds.
- Memory: pages are kept zlib-compressed (a 10 KB page in about 3 KB), at most SIZE of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import zlib
from itertools import chain

from cachetools import LRUCache
from flask import current_app, g, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from peerpath.security import csp_nonce

SIZE = 2048  # pages per process: a trust page is about 3 KB compressed, so at most ~6 MB
_WROTE = "peerpath.page_cache_wrote"
# Tables no public page shows: a write to these alone forgets nothing. (Leaving a table out
# costs only cache hits; listing one a page shows would leave that page stale for its seconds.)
QUIET = frozenset({"audit_events", "audit_log", "notification_outbox", "notification_events"})
clock = time.monotonic


class PageCache:
    """A bounded, thread-safe LRU (cachetools) of (expires, packed text, nonce) by key; key[0]
    is the trust id, None for the platform's pages."""

    def __init__(self, size: int = SIZE):
        self.entries: LRUCache = LRUCache(size)
        self.lock = threading.Lock()

    def get(self, key) -> tuple[str, str] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None and found[0] <= clock():
                del self.entries[key]
                found = None
        return None if found is None else (zlib.decompress(found[1]).decode(), found[2])

    def put(self, key, text: str, nonce: str, seconds: float) -> None:
        packed = zlib.compress(text.encode())
        with self.lock:
            self.entries[key] = (clock() + seconds, packed, nonce)

    def forget_trust(self, trust_id: int | None) -> None:
        with self.lock:
            for key in [key for key in self.entries if key[0] == trust_id]:
                del self.entries[key]


_cache = PageCache()


def _seconds() -> float:
    return current_app.config["VISITOR_PAGE_SECONDS"]


def _for_a_visitor() -> bool:
    return request.method == "GET" and \
        current_app.config["SESSION_COOKIE_NAME"] not in request.cookies


def for_visitors(view):
    """Serve `view`'s page from the micro-cache to visitors without a session: a trust's
    page when the request has resolved one (`g.tenant`), else a platform page."""

    @functools.wraps(view)
    def cached(*args, **kwargs):
        seconds, tenant = _seconds(), g.get("tenant")
        if seconds <= 0 or not _for_a_visitor():
            return view(*args, **kwargs)
        key = (tenant and tenant.id, tenant, request.host, request.full_path,
               dt.date.today())
        found = _cache.get(key)
        if found is not None:
            text, nonce = found
            return text.replace(f'nonce="{nonce}"', f'nonce="{csp_nonce()}"')
        page = view(*args, **kwargs)
        # A rendered 200 page (not a redirect, an error or a response object) that started
        # no session (a form's CSRF token would): the same for the next visitor.
        text = page[0] if isinstance(page, tuple) and page[1:] == (200,) else page
        if isinstance(text, str) and not session.modified:
            _cache.put(key, text, csp_nonce(), seconds)
        return page

    return cached


@event.listens_for(Session, "after_flush")
def _note_write(session: Session, flush_context) -> None:
    if any(getattr(obj, "__tablename__", None) not in QUIET
           for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and \
            getattr(getattr(state.statement, "table", None), "name", None) not in QUIET:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _forget_written(session: Session) -> None:
    if not session.info.pop(_WROTE, None):
        return
    tenant = session.info.get("tenant")
    if tenant is not None:
        _cache.forget_trust(tenant.id)
    _cache.forget_trust(None)  # the list of trusts shows every trust's summary


@event.listens_for(Session, "after_rollback")
def _forget_note(session: Session) -> None:
    session.info.pop(_WROTE, None)
