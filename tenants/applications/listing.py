"""The platform home page's list: each active trust with its open cohorts and drop-ins.

Each trust is read inside its own tenant transaction (its schema and role), one after
another; nothing about applicants is read, only the trust's public calendar.
"""

from __future__ import annotations

import logging

from peerpath.extensions import db
from peerpath.tenancy import Tenant, tenant_context
from tenants.applications import sources

log = logging.getLogger(__name__)


def trusts_open_to_applicants(trusts) -> list[dict]:
    """[{"tenant", "cohorts": [{name, closes_on}], "opens_on", "drop_ins": [...]}] for active
    trusts; `opens_on` is when the next window opens, if none is open now."""
    on = sources.today()
    listing = []
    for trust in trusts:
        tenant = Tenant.from_row(trust)
        try:
            with tenant_context(tenant):
                cohorts = [{"name": c.name, "closes_on": c.eoi_closes_on}
                           for c in sources.open_cohorts(db.session, on)]
                upcoming = None if cohorts else sources.next_window(db.session, on)
                opens_on = upcoming.eoi_opens_on if upcoming else None
                drop_ins = sources.upcoming_drop_ins(db.session, on)[:3]
        except Exception:  # one broken trust must not take the platform's home page down
            log.exception("could not read the calendar of one trust", extra={"trust": trust.slug})
            cohorts, opens_on, drop_ins = [], None, []
        listing.append({"tenant": tenant, "cohorts": cohorts, "opens_on": opens_on,
                        "drop_ins": drop_ins})
    return listing
