"""The draft form previewed page by page, as an applicant would walk it, at phone width.

Each page is the applicant's page (the same fields, the same checks on answers), branches
and exit pages are followed, and at the end the sample answers are run through the draft's
rules, with the reasons an applicant would read. Nothing is saved: the answers so far travel
with each page's form (a hidden field), so no application, draft change or stored sample is
made, and leaving the preview forgets them.
"""

from __future__ import annotations

import json

from flask import request

from peerpath.extensions import db
from tenants.applications import crisis, steps
from tenants.applications.schemas import YES_NO
from tenants.cohorts.forms import render_page
from tenants.coordinators.auth import coordinator_required
from tenants.eligibility import routing, service
from tenants.eligibility.answers import OUTCOME_WORDS, answers_in_words
from tenants.eligibility.rules import FAIL, UNDECIDED
from tenants.eligibility.views import bp
from tenants.eligibility.views_builder import draft_or_404

SO_FAR = "so_far"


@bp.get("/builder/preview")
@coordinator_required("settings:read")
def builder_preview():
    """The first page of the draft, with no answers yet."""
    draft = draft_or_404()
    return _page(draft, routing.first_page(draft.questions), {})


@bp.post("/builder/preview")
@coordinator_required("settings:read")
def builder_preview_step():
    """An answered preview page: its checks, then the page the answers lead to (or Back)."""
    draft = draft_or_404()
    pages = draft.questions
    answers = answers_so_far(request.form.get(SO_FAR), pages)
    at = request.form.get("at")
    if steps.question_for(pages, at) is None:  # a page the draft no longer has: start again
        return _page(draft, routing.first_page(pages), {})
    if steps.is_exit(pages, at) and request.form.get("go") != "back":
        return _page(draft, at, answers)  # the form ends on an exit page: nothing follows
    if request.form.get("go") == "back":
        walked = routing.path(pages, answers)
        index = walked.index(at) if at in walked else 0
        return _page(draft, walked[index - 1] if index else at, answers)
    changes, errors, values = steps.read_step(pages, at, request.form)
    if errors:
        return _page(draft, at, answers, errors=errors, values=values)
    answers = {**answers, **changes}
    return _page(draft, routing.next_page(pages, at, answers), answers)


def answers_so_far(text: str | None, pages: list) -> dict:
    """The sample answers carried by the form, kept only for the draft's own questions."""
    try:
        loaded = json.loads(text or "{}")
    except ValueError:
        return {}
    keys = {p["key"] for p in pages if routing.asks_something(p)}
    return {k: v for k, v in loaded.items() if k in keys} if isinstance(loaded, dict) else {}


def _page(draft, key: str | None, answers: dict, *, errors=None, values=None):
    pages = draft.questions
    walked = routing.path(pages, answers)
    context = {"draft": draft, "so_far": json.dumps(answers), "errors": errors or {},
               "number": walked.index(key) + 1 if key in walked else len(walked) + 1}
    if key is None:  # the end of the trust's questions: what the rules would decide
        on_path = routing.answers_on_path(pages, answers)
        judged = service.preview(draft, on_path)
        return render_page("eligibility/builder_preview_result.html", **context,
                           outcome=OUTCOME_WORDS[judged.outcome], judged=judged,
                           unmet=judged.rules_with(FAIL), unsure=judged.rules_with(UNDECIDED),
                           rows=answers_in_words(steps.asked(pages, on_path), on_path,
                                                 former_questions=False))
    page = steps.question_for(pages, key)
    shown = values if values is not None else steps.shown_values(page, answers.get(key))
    return render_page("eligibility/builder_preview.html", **context, page=page, values=shown,
                       lines=crisis.lines(db.session) if page["type"] == routing.EXIT else [],
                       yes_no=YES_NO, first=key == routing.first_page(pages))
