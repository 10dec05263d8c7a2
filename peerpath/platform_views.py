"""Platform-wide public pages: the list of trusts, help in a crisis, the accessibility
statement, and a health check."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from marshmallow import EXCLUDE, Schema, fields, pre_load
from sqlalchemy import text

from peerpath import trust_summary
from peerpath.extensions import db
from peerpath.page_cache import for_visitors

bp = Blueprint("platform", __name__)


class ListQuery(Schema):
    """`/?q=<name or place>&page=<n>`: anything odd falls back to the first page."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="")
    page = fields.Integer(load_default=1)

    @pre_load
    def tolerate(self, data, **kwargs):
        data = dict(data)
        # Control characters (NUL included) cannot be in a name or place, nor in a query.
        data["q"] = "".join(ch for ch in (data.get("q") or "")[:100] if ch.isprintable())
        page = data.get("page") or "1"
        data["page"] = page if page.isdigit() and len(page) < 7 else "1"
        return data


@bp.get("/")
@for_visitors
def index():
    args = ListQuery().load(request.args)
    listing = trust_summary.list_trusts(args["q"], args["page"])
    return render_template("platform/index.html", listing=listing, entries=listing.entries,
                           page_url=lambda page: url_for(
                               "platform.index", q=listing.query or None,
                               page=page if page > 1 else None))


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
