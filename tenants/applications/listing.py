"""What the platform's list of trusts shows about one trust: its cohort windows still to
come, its next drop-ins and the places of its courses and drop-ins.

Computed inside the trust's own transaction (its schema and role) whenever a cohort, course
or drop-in changes, and kept by peerpath.trust_summary in the platform schema, so `/` never
reads a trust's schema. Nothing about applicants is read, only the trust's public calendar.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tenants.applications import sources
from tenants.cohorts.models import Cohort, Course
from tenants.infosessions.models import InfoSession

# Changes to these alter what the list of trusts says about a trust.
WATCHED = (Cohort, Course, InfoSession)
DROP_INS_KEPT = 10  # more than the list shows, so passing days do not empty it at once


def public_summary(session, on: dt.date) -> dict:
    cohorts = session.scalars(select(Cohort).where(Cohort.eoi_closes_on >= on)
                              .order_by(Cohort.eoi_opens_on, Cohort.id)).all()
    drop_ins = sources.upcoming_drop_ins(session, on)[:DROP_INS_KEPT]
    locations = [place for course in session.scalars(select(Course))
                 for place in course.locations or ()]
    return {
        "cohorts": [{"name": c.name, "opens_on": c.eoi_opens_on.isoformat(),
                     "closes_on": c.eoi_closes_on.isoformat()} for c in cohorts],
        "drop_ins": [{"starts_at": d["starts_at"].isoformat(), "place": d["place"]}
                     for d in drop_ins],
        "places": [*locations, *(d["place"] for d in drop_ins)],
    }
