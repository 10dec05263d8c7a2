"""Platform-wide public pages: the list of trusts, help in a crisis, the accessibility
statement, and a health check."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.models import Trust

bp = Blueprint("platform", __name__)


@bp.get("/")
def index():
    with Session(db.engine) as session:
        trusts = session.scalars(
            select(Trust).where(Trust.status == "active").order_by(Trust.display_name)).all()
    # The applications domain registers how to read each trust's open cohorts and drop-ins
    # (the core imports no domain).
    listing = current_app.extensions.get("trust_listing")
    entries = listing(trusts) if listing else [{"tenant": t, "cohorts": [], "drop_ins": []}
                                                for t in trusts]
    return render_template("platform/index.html", entries=entries)


# National lines for visitors who have not chosen a trust (each trust sets its own too).
CRISIS_LINES = (
    {"name": "NHS 111", "phone": "111",
     "description": "Call 111 and select the mental health option, or go to 111.nhs.uk. "
                    "Free, 24 hours a day."},
    {"name": "Samaritans", "phone": "116 123",
     "description": "Call free, any time, day or night, to talk to someone who will listen."},
    {"name": "Emergency services", "phone": "999",
     "description": "Call 999 or go to A&E if your life, or someone else's, is at risk now."},
)


@bp.get("/help-in-a-crisis")
def crisis():
    return render_template("platform/crisis.html", lines=CRISIS_LINES)


# Change these when the statement is reviewed or the service is tested again (the statement
# must say when; the regulations ask for a review at least once a year).
ACCESSIBILITY_STATEMENT_DATES = {"prepared_on": dt.date(2026, 12, 3),
                                 "tested_on": dt.date(2026, 12, 3)}


def render_accessibility_statement(tenant=None):
    """The one statement for the service; a trust's pages show it with the trust's contacts."""
    return render_template("platform/accessibility.html", tenant=tenant,
                           **ACCESSIBILITY_STATEMENT_DATES)


@bp.get("/accessibility")
def accessibility():
    return render_accessibility_statement()


@bp.get("/healthz")
def health():
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    current_app.extensions["redis"].ping()
    return jsonify(status="ok")
