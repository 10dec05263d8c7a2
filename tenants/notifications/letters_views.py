"""Coordinator pages for letters and phone calls (tenants.notifications.letters): the list,
one printable letter or call sheet, marking it posted or done, and the trust's address."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from peerpath.extensions import db
from tenants.cohorts.forms import render_page, submit
from tenants.coordinators.auth import coordinator_required
from tenants.notifications import letters
from tenants.notifications.defaults import MESSAGES
from tenants.notifications.schemas import LetterAddressSchema
from tenants.notifications.service import get_settings

bp = Blueprint("letters", __name__, template_folder="templates")

NOTICES = {"posted": "The letter is marked as posted.", "phoned": "The call is marked as made.",
           "already": "That one was already marked as done, or is no longer needed.",
           "address": "The address for letters was saved."}


def _names() -> dict[str, str]:
    return {key: value["name"] for key, value in MESSAGES.items()}


def _list_page(values: dict | None = None, errors: dict | None = None):
    address = get_settings(db.session).letter_address
    return render_page("notifications/letters.html", waiting=letters.waiting(db.session),
                       done=letters.recently_done(db.session), names=_names(),
                       trust_address=address, posting_time=letters.POSTING_TIME,
                       values=values or {"letter_address": address},
                       errors=errors or {}, notice=NOTICES.get(request.args.get("notice")))


@bp.get("/letters")
@coordinator_required("messages:read")
def to_print():
    return _list_page()


@bp.get("/letters/<int:message_id>")
@coordinator_required("messages:read")
def letter(message_id: int):
    row = letters.get(db.session, message_id)
    if row is None:
        abort(404)
    context = letters.letter_page(db.session, row, actor=current_user.get_id())
    db.session.commit()
    return render_page("notifications/letter.html", names=_names(), **context)


@bp.post("/letters/<int:message_id>/done")
@coordinator_required("messages:write")
def mark_done(message_id: int):
    row = letters.get(db.session, message_id)
    if row is None:
        abort(404)
    channel = row.channel
    done = letters.mark_done(db.session, row, actor=current_user.get_id())
    db.session.commit()
    notice = ("posted" if channel == "letter" else "phoned") if done else "already"
    return redirect(url_for(".to_print", notice=notice))


@bp.post("/letters/trust-address")
@coordinator_required("messages:write")
def trust_address():
    values, errors, _ = submit(LetterAddressSchema(), lambda data: letters.save_trust_address(
        db.session, data["letter_address"], actor=current_user.get_id()))
    if errors:
        return _list_page(values, errors)
    return redirect(url_for(".to_print", notice="address"))
