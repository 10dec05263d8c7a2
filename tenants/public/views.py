"""A trust's public home page, built from its configuration."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template

from peerpath.extensions import db
from peerpath.page_cache import for_visitors
from peerpath.platform_views import render_accessibility_statement
from peerpath.tenancy import current_tenant
from tenants.cohorts import calendar
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.cohorts.views import ics_response
from tenants.eligibility import service as eligibility
from tenants.eligibility.describe import describe_rule_set
from tenants.infosessions import service as infosessions
from tenants.privacy.service import render as render_text
from tenants.public import queries

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth")

bp = Blueprint("public", __name__, template_folder="templates")


def _public_cohort(runs: list[Cohort], today: dt.date) -> tuple[Cohort | None, str | None]:
    """The cohort to show and its window state: the open one, else the next to open."""
    cohort = cohorts.open_among(runs, today) or cohorts.next_among(runs, today)
    return cohort, (cohorts.eoi_window_state(cohort, today) if cohort else None)


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def cohort_history(runs: list[Cohort], today: dt.date) -> list[dict]:
    """Every cohort, first to last, in words: past ones stay on the page, so applicants
    see the programme has run before ("our second programme starts in November 2026")."""
    runs = sorted(runs, key=lambda c: (c.starts_on, c.id))
    return [{"ordinal": ordinal(n), "starts_on": cohort.starts_on,
             "started": cohort.starts_on <= today} for n, cohort in enumerate(runs, 1)]


@bp.get("/")
@for_visitors
def home():
    """Five statements with the trust's lookup (tests/perf/test_statements_per_request.py):
    the cohorts, the published rules, the drop-ins with their bookings counted, and the
    page's blocks, stories and crisis lines together. A visitor without a session is
    usually served from the micro-cache (peerpath.page_cache): the lookup only."""
    today = dt.date.today()
    runs = cohorts.cohorts(db.session)
    cohort, window = _public_cohort(runs, today)
    course = cohort.course if cohort else next(iter(cohorts.courses(db.session)), None)
    version = eligibility.published_version(db.session)
    sessions = infosessions.upcoming(db.session, today, counted=True)
    content = queries.page_content(db.session)
    return render_template(
        "public/home.html", tenant=current_tenant(), cohort=cohort, window=window,
        course=course,
        key_dates=calendar.key_dates(cohort, with_training_days=False) if cohort else [],
        rules=describe_rule_set(version.questions, version.rule_set) if version else [],
        sessions=sessions, places_left={s.id: infosessions.places_left_of(s) for s in sessions},
        bank_holiday=calendar.bank_holiday, page=content.page, stories=content.stories,
        crisis_lines=content.crisis_lines, history=cohort_history(runs, today),
        render_text=render_text)


@bp.get("/accessibility")
def accessibility():
    return render_accessibility_statement(current_tenant())


@bp.get("/cohorts/<int:cohort_id>/key-dates.ics")
def cohort_ics(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return ics_response(cohort)
