"""The draft previewed page by page as an applicant would walk it: reached from the
builder's page, branches and exit pages followed, the rules' decision at the end with the
reasons an applicant reads, and nothing saved."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.eligibility import builder
from tests.builder.conftest import post

QUESTION = "Have you used secondary mental health services?"
EXIT_TITLE = "This training is not for you yet"
EXIT_WORDS = "Here is what else you could do: talk to your recovery college."
HOURS = "How many hours a week could you give?"
HOURS_REASON = "The training takes about 6 hours a week."


def build_draft(app, trust, lead, base) -> dict:
    """The starting questions, then a branching question ("No" ends on an exit page) and a
    number question with a rule."""
    post(lead, base + "/start", page=base)
    for fields, kind in (({"type": "single_choice", "label": QUESTION, "options": "Yes\nNo"},
                          "question"),
                         ({"type": "exit", "label": EXIT_TITLE, "body": EXIT_WORDS}, "exit"),
                         ({"type": "number", "label": HOURS}, "question")):
        response = post(lead, base + "/pages/new", {"required": "yes", **fields},
                        page=f"{base}/pages/new?kind={kind}")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with tenant_context(trust, app):
        keys = {p["label"]: p["key"] for p in builder.draft(db.session).questions}
    routes = f"{base}/pages/{keys[QUESTION]}/routes"
    assert post(lead, routes, {"route-no": keys[EXIT_TITLE]}, page=routes).status_code == 302
    rules = f"{base}/rules"
    response = post(lead, rules, {"question": keys[HOURS], "test": "number_at_least",
                                  "value": "6", "reason": "At least 6 hours a week",
                                  "applicant_reason": HOURS_REASON},
                    page=f"{rules}?question={keys[HOURS]}")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return keys


def link(page: str, words: str) -> str:
    found = re.search(r'href="([^"]+)"[^>]*>' + re.escape(words), page)
    assert found, f"no link {words!r}"
    return html.unescape(found[1])


def answer(client, page: str, **fields):
    """Press a button on a preview page: its hidden fields (answers so far) go with it."""
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    action = html.unescape(re.search(r'<form method="post" action="([^"]+)"', page)[1])
    response = client.post(action, data={k: html.unescape(v) for k, v in hidden.items()}
                           | fields)
    return response, response.get_data(as_text=True)


def heading(page: str) -> str:
    """What the applicant's page in the phone frame asks or says."""
    phone = page[page.index('id="phone"'):]
    return re.sub(r"<[^>]+>|\s+", " ", re.search(r"<(?:legend|label|h2)[^>]*>(.*?)</(?:legend|"
                                                 r"label|h2)>", phone, re.S)[1]).strip()


def _applications(app, trust) -> int:
    with tenant_context(trust, app):
        return db.session.scalar(select(func.count()).select_from(Application))


def preview_walk(client, base) -> None:
    """Walk the preview from the builder's page: the exit branch, Back, then to the end."""
    overview = client.get(base).get_data(as_text=True)
    page = client.get(link(overview, "Preview the draft page by page")).get_data(as_text=True)
    assert "Preview of the draft: page 1" in page and 'class="pp-phone"' in page
    assert heading(page).startswith("Do you have lived experience")
    for _ in range(3):  # the starting yes/no questions
        response, page = answer(client, page, answer="yes")
        assert response.status_code == 200
    assert heading(page).startswith(QUESTION)
    _, page = answer(client, page, answer="no")
    assert heading(page) == EXIT_TITLE and EXIT_WORDS in page and "Samaritans" in page
    assert "The form ends here" in page and "Continue" not in page
    _, again = answer(client, page)  # nothing follows an exit page, even if posted
    assert heading(again) == EXIT_TITLE and "what the rules decide" not in again
    _, page = answer(client, page, go="back")
    assert heading(page).startswith(QUESTION)
    _, page = answer(client, page, answer="yes")
    assert heading(page).startswith(HOURS)
    response, page = answer(client, page, answer="lots")  # the applicant's own checks
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter a number" in page
    _, page = answer(client, page, answer="4")
    assert "what the rules decide" in page
    assert re.search(r'id="outcome">Not eligible<', page)
    assert HOURS_REASON in page and "4" in page


def test_the_preview_walks_the_draft_page_by_page_and_saves_nothing(
        app, trust, cohort_id, lead, base):
    build_draft(app, trust, lead, base)
    with tenant_context(trust, app):
        draft = builder.draft(db.session)
        before = (draft.questions, draft.rule_set)
    preview_walk(lead, base)
    assert _applications(app, trust) == 0
    with tenant_context(trust, app):
        draft = builder.draft(db.session)
        assert (draft.questions, draft.rule_set) == before


def test_enough_hours_are_eligible_in_the_preview(app, trust, lead, base):
    build_draft(app, trust, lead, base)
    page = lead.get(base + "/preview").get_data(as_text=True)
    for value in ("yes", "yes", "yes", "yes", "6"):
        _, page = answer(lead, page, answer=value)
    assert re.search(r'id="outcome">Eligible<', page) and "meet every rule" in page
