"""Platform-wide public pages: the list of trusts, and a health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
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
    return render_template("platform/index.html", trusts=trusts)


@bp.get("/healthz")
def health():
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    from flask import current_app

    current_app.extensions["redis"].ping()
    return jsonify(status="ok")
