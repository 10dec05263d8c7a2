"""Drop-in information sessions in the trust API (sessions only: bookings hold personal
data and are seen on the coordinator pages, where each view is audited)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from peerpath.extensions import db
from tenants.api_tokens.auth import api_access
from tenants.cohorts.forms import json_save
from tenants.infosessions import service
from tenants.infosessions.models import InfoSession
from tenants.infosessions.schemas import InfoSessionSchema

bp = Blueprint("infosessions_api", __name__)


def session_json(s: InfoSession) -> dict:
    return {"id": s.id, "title": s.title, "on_date": s.on_date.isoformat(),
            "starts_at": s.starts_at.isoformat("minutes"),
            "ends_at": s.ends_at.isoformat("minutes"), "place": s.place,
            "online_url": s.online_url, "capacity": s.capacity, "access_notes": s.access_notes,
            "cancelled": s.cancelled_at is not None,
            "booked": service.live_bookings(db.session, s.id)}


@bp.get("/information-sessions")
@api_access("read")
def sessions():
    return jsonify(information_sessions=[session_json(s)
                                         for s in service.all_sessions(db.session)])


@bp.get("/information-sessions/<int:info_session_id>")
@api_access("read")
def one(info_session_id: int):
    found = db.session.get(InfoSession, info_session_id)
    if found is None:
        abort(404, "Not found")
    return jsonify(session_json(found))


@bp.post("/information-sessions")
@bp.put("/information-sessions/<int:info_session_id>")
@api_access("write")
def save(info_session_id: int | None = None):
    existing = db.session.get(InfoSession, info_session_id) if info_session_id else None
    if info_session_id and existing is None:
        abort(404, "Not found")
    saved = json_save(InfoSessionSchema(),
                      lambda data: service.save_session(db.session, data, existing))
    return jsonify(session_json(saved)), (200 if existing else 201)
