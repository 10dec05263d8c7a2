"""A trust's public home page, built from its configuration."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template

from peerpath.extensions import db
from peerpath.platform_views import render_accessibility_statement
from peerpath.tenancy import current_tenant
from tenants.cohorts import calendar
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Cohort
from tenants.cohorts.views import ics_response
from tenants.eligibility import service as eligibility
from tenants.eligibility.describe import describe_rule_set
from tenants.infosessions import service as infosessions

bp = Blueprint("public", __name__, template_folder="templates")


def _public_cohort(today: dt.date) -> tuple[Cohort | None, str | None]:
    """The cohort to show and its window state: the open one, else the next to open."""
    cohort = cohorts.open_cohort(db.session, today) or cohorts.next_cohort(db.session, today)
    return cohort, (cohorts.eoi_window_state(cohort, today) if cohort else None)


@bp.get("/")
def home():
    today = dt.date.today()
    cohort, window = _public_cohort(today)
    course = cohort.course if cohort else next(iter(cohorts.courses(db.session)), None)
    version = eligibility.published_version(db.session)
    sessions = infosessions.upcoming(db.session, today)
    return render_template(
        "public/home.html", tenant=current_tenant(), cohort=cohort, window=window,
        course=course,
        key_dates=calendar.key_dates(cohort, with_training_days=False) if cohort else [],
        rules=describe_rule_set(version.questions, version.rule_set) if version else [],
        sessions=sessions,
        places_left={s.id: infosessions.places_left(db.session, s) for s in sessions},
        bank_holiday=calendar.bank_holiday)


@bp.get("/accessibility")
def accessibility():
    return render_accessibility_statement(current_tenant())


@bp.get("/cohorts/<int:cohort_id>/key-dates.ics")
def cohort_ics(cohort_id: int):
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    return ics_response(cohort)
