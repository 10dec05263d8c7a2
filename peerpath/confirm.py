"""Confirmation pages: a change that is hard to undo (withdrawing an application,
suspending a trust, removing a team member) first shows a page that says what will happen.

The action's own form posts without ``confirmed``; the view answers with the confirmation
page, whose form posts the same fields again with ``confirmed=yes``. So the route, its
permission check and its CSRF protection stay exactly those of the action itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import render_template

CONFIRMED_FIELD = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    title: str  # a question: "Withdraw application PSW-1234?"
    consequences: Sequence[str]  # what will happen, one sentence each
    button: str  # "Yes, withdraw this application"
    action: str  # the URL the action posts to
    cancel_url: str
    fields: Mapping[str, str] = field(default_factory=dict)  # posted again, unchanged


def is_confirmed(form) -> bool:
    return form.get(CONFIRMED_FIELD) == "yes"


def confirmation_page(confirmation: Confirmation, *, layout: str = "layout.html",
                      **context) -> str:
    """The page, inside ``layout`` (the area's own base template)."""
    return render_template("confirm.html", confirm=confirmation, layout=layout,
                           confirmed_field=CONFIRMED_FIELD, **context)
