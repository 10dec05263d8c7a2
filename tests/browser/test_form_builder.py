"""Browser test: a lead builds a question with a branch to an exit page and a rule on it,
a number question with a number rule, previews the draft page by page, makes it live; an
applicant (phone width) then meets exactly that form, and an EOI sent before the change still
shows the old questions."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Applicant, Application
from tests.applications.helpers import (
    answer_all,
    create_cohort,
    onboard_trust,
    start_application,
    submit,
)
from tests.browser.conftest import check_accessibility, press
from tests.builder.conftest import say_what_happens_next
from tests.workspace.helpers import PASSWORD, make_coordinator

QUESTION = "Have you used secondary mental health services?"
EXIT_TITLE = "This training is not for you yet"
EXIT_WORDS = "You need to have used secondary mental health services to join this training."
HOURS = "How many hours a week could you give?"
HOURS_REASON = "The training takes about 6 hours a week."


def test_a_built_form_goes_live_and_applicants_meet_exactly_it(app, live_server, desktop_page,
                                                                phone_page):
    trust = onboard_trust(app, "fb", "Form Builder NHS Trust", contact_email="psw@fb.example")
    say_what_happens_next(app, trust)  # the trust page's block the go-live checklist asks for
    cohort_id = create_cohort(app, trust, name="Builder intake")
    earlier = app.test_client()
    start_application(earlier, trust, cohort_id, email="earlier@applicant.example")
    answer_all(earlier, trust)
    assert submit(earlier, trust).status_code == 302
    problems: list[str] = []

    page = desktop_page
    _id, email, secret = make_coordinator(app, trust, "lead")
    page.goto(f"{live_server}/trusts/{trust.slug}/coordinator/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "button", "Sign in")
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    press(page, "button", "Continue")
    builder = f"{live_server}/trusts/{trust.slug}/coordinator/settings/eligibility/builder"
    page.goto(builder.rsplit("/", 1)[0] + "/")
    press(page, "link", "Build the form")
    press(page, "button", "Start a draft")
    check_accessibility(page, problems)

    press(page, "link", "Add a question")
    page.get_by_label("Kind of answer").select_option(label="One choice")
    page.get_by_label("Question", exact=True).fill(QUESTION)
    page.get_by_label("Options, one per line (optional)").fill("Yes\nNo")
    check_accessibility(page, problems)
    press(page, "button", "Save page")
    press(page, "link", "Add an exit page")
    page.get_by_label("Page title").fill(EXIT_TITLE)
    page.get_by_label("What the page says").fill(EXIT_WORDS)
    press(page, "button", "Save page")
    assert page.get_by_text("No answer leads to the exit page").is_visible()
    press(page, "link", f"Branches of {QUESTION}")
    page.get_by_label("If the answer is No, go to").select_option(
        label=f"Exit page: {EXIT_TITLE}")
    check_accessibility(page, problems)
    press(page, "button", "Save branches")
    assert not page.get_by_text("No answer leads to the exit page").is_visible()

    press(page, "link", "Eligibility rules", exact=True)
    page.get_by_label("Which question is the rule about?").select_option(label=QUESTION)
    press(page, "button", "Continue")
    page.get_by_label("answer is one of").check()
    page.get_by_role("group", name="Which answers").get_by_label("Yes", exact=True).check()
    page.get_by_label("Reason, in plain words").fill(
        "You need to have used secondary mental health services")
    check_accessibility(page, problems)
    press(page, "button", "Save rule")
    assert page.get_by_text("You need to have used secondary mental health services").first \
        .is_visible()

    page.goto(builder)
    press(page, "link", "Add a question")
    page.get_by_label("Kind of answer").select_option(label="Number")
    page.get_by_label("Question", exact=True).fill(HOURS)
    press(page, "button", "Save page")
    press(page, "link", "Eligibility rules", exact=True)
    page.get_by_label("Which question is the rule about?").select_option(label=HOURS)
    press(page, "button", "Continue")
    page.get_by_label("is at least", exact=True).check()
    page.get_by_label("Value (optional)").fill("six")
    page.get_by_label("Reason, in plain words").fill("At least 6 hours a week")
    page.get_by_label("What the applicant is told, if different (optional)").fill(HOURS_REASON)
    press(page, "button", "Save rule")
    assert page.get_by_text("There is a problem").is_visible()  # not a number
    check_accessibility(page, problems)
    page.get_by_label("Value (optional)").fill("6")
    press(page, "button", "Save rule")
    assert page.get_by_text('"How many hours a week could you give?" is at least 6').is_visible()

    page.goto(builder)
    press(page, "link", "Preview the draft page by page, as an applicant")
    assert page.locator("#phone").bounding_box()["width"] <= 400  # a phone's width
    check_accessibility(page, problems)
    for _ in range(3):  # the three starting questions
        page.locator("#phone").get_by_label("Yes", exact=True).check()
        press(page, "button", "Continue")
    page.locator("#phone").get_by_label("No", exact=True).check()
    press(page, "button", "Continue")
    assert page.get_by_text(EXIT_WORDS).is_visible()
    assert page.get_by_text("The form ends here").is_visible()
    check_accessibility(page, problems)
    press(page, "button", "Back a page")
    page.locator("#phone").get_by_label("Yes", exact=True).check()
    press(page, "button", "Continue")
    page.get_by_label(HOURS).fill("4")
    press(page, "button", "Continue")
    assert page.locator("#outcome").inner_text() == "Not eligible"
    assert page.get_by_text(HOURS_REASON).is_visible()
    check_accessibility(page, problems)
    page.goto(builder)
    check_accessibility(page, problems)
    press(page, "button", "Make this draft live")

    applicant = phone_page
    applicant.goto(f"{live_server}/trusts/{trust.slug}/apply")
    press(applicant, "link", "Start your application for Builder intake")
    press(applicant, "button", "Continue")
    applicant.get_by_label("Full name").fill("Robin Later")
    applicant.get_by_label("Email address").fill("later@applicant.example")
    press(applicant, "button", "Continue")
    for _ in range(3):  # the three starting questions
        applicant.get_by_label("Yes", exact=True).check()
        press(applicant, "button", "Save and continue")
    assert applicant.get_by_role("heading", name=QUESTION).is_visible()
    applicant.get_by_label("No", exact=True).check()
    press(applicant, "button", "Save and continue")
    assert applicant.get_by_role("heading", name=EXIT_TITLE).is_visible()
    assert applicant.get_by_text(EXIT_WORDS).is_visible()
    assert applicant.get_by_text("Samaritans").first.is_visible()
    check_accessibility(applicant, problems)
    press(applicant, "link", "go back and change it")
    applicant.get_by_label("Yes", exact=True).check()
    press(applicant, "button", "Save and continue")
    applicant.get_by_label(HOURS).fill("8")
    press(applicant, "button", "Save and continue")
    assert applicant.get_by_role("heading", name="Disability Confident scheme").is_visible()

    with tenant_context(trust, app):  # the EOI sent before the change keeps its questions
        earlier_id = db.session.scalars(select(Application.id).join(
            Applicant, Applicant.id == Application.applicant_id).where(
            Applicant.email == "earlier@applicant.example")).one()
    page.goto(f"{live_server}/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}"
              f"/applications/{earlier_id}")
    answers = page.locator("#answers")
    assert "Do you have lived experience of mental health challenges?" in answers.inner_text()
    assert QUESTION not in answers.inner_text()
    assert not problems, "\n".join(problems)
