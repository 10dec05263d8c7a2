"""A follow-up that is not answered gets one reminder, taken back once it is answered,
whether the person answers in their account or a coordinator records a phone call."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, cast, select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.notifications.models import OutboxMessage
from tenants.training import service
from tenants.training.models import FollowUp, Outcome
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link, sign_in_link
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application

REMINDER = "follow_up_reminder"


def _completed(app, trust, *, email: str, days_ago: int) -> int:
    cohort = create_cohort(app, trust, name=f"Finished {email[:8]}")
    application_id = make_application(app, trust, cohort, stage="completed", email=email)
    with app.test_request_context(), tenant_context(trust, app):
        service.schedule_follow_ups(db.session, db.session.get(Application, application_id),
                                    dt.date.today() - dt.timedelta(days=days_ago),
                                    actor="test")
        db.session.commit()
    return application_id


def _reminders(app, trust, application_id: int) -> dict[int, tuple[str, dt.datetime]]:
    """months -> (status, due) of each follow-up's reminder."""
    with tenant_context(trust, app):
        rows = db.session.execute(
            select(FollowUp.months, OutboxMessage.status, OutboxMessage.next_attempt_at)
            .join(OutboxMessage, OutboxMessage.related_id == cast(FollowUp.id, String))
            .where(FollowUp.application_id == application_id,
                   OutboxMessage.template_key == REMINDER,
                   OutboxMessage.related_type == "follow_up")).all()
    return {months: (status, due) for months, status, due in rows}


def test_each_follow_up_has_one_reminder_two_weeks_after_it_falls_due(app, trust):
    application_id = _completed(app, trust, email="reminded@applicant.example", days_ago=1)
    reminders = _reminders(app, trust, application_id)
    assert sorted(reminders) == [3, 6, 12]
    with tenant_context(trust, app):
        three = db.session.scalars(select(FollowUp).filter_by(
            application_id=application_id, months=3)).one()
        body = db.session.scalars(select(OutboxMessage.body_text).where(
            OutboxMessage.template_key == REMINDER,
            OutboxMessage.related_id == str(three.id))).one()
    assert reminders[3] == ("created", dt.datetime.combine(
        three.due_on + dt.timedelta(days=14), dt.time(10), dt.UTC))
    assert "This is the only reminder we will send" in body


def test_answering_in_the_account_takes_back_that_follow_ups_reminder_only(app, trust):
    email = "answers-online@applicant.example"
    application_id = _completed(app, trust, email=email, days_ago=95)
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    assert post_form(client, f"/trusts/{trust.slug}/account/follow-up/{application_id}",
                     {"doing_now": "volunteering", "wants_support": "no"}).status_code == 302
    reminders = _reminders(app, trust, application_id)
    assert {m: status for m, (status, _) in reminders.items()} == {
        3: "withdrawn", 6: "created", 12: "created"}


def test_a_coordinator_records_a_follow_up_from_a_phone_call(app, trust, lead):
    client, _ = lead
    application_id = _completed(app, trust, email="phoned@applicant.example", days_ago=200)
    with tenant_context(trust, app):
        six = db.session.scalars(select(FollowUp).filter_by(
            application_id=application_id, months=6)).one().id
    listing = client.get(f"/trusts/{trust.slug}/coordinator/follow-ups")
    url = f"/trusts/{trust.slug}/coordinator/follow-ups/{six}/phone-call"
    assert f'href="{url}"' in listing.get_data(as_text=True)

    wrong = post_form(client, url, {"doing_now": "something_else", "hours_per_week": "many"})
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert "There is a problem" in page and "<title>Error: " in page
    assert "Tell us what you are doing" in page and 'href="#wants_support"' in page

    done = post_form(client, url, {"doing_now": "partner_organisation",
                                   "detail": "Mind, 2 days a week", "hours_per_week": "15",
                                   "wants_support": "yes"})
    assert done.status_code == 302
    with tenant_context(trust, app):
        outcome = db.session.scalars(select(Outcome).filter_by(
            application_id=application_id)).one()
        assert (outcome.kind, outcome.follow_up_id, outcome.wants_support) == (
            "partner_organisation", six, True)
        assert not outcome.recorded_by.startswith("applicant:")
    assert _reminders(app, trust, application_id)[6][0] == "withdrawn"
    assert _reminders(app, trust, application_id)[3][0] == "created"  # still unanswered
    assert client.get(url).status_code == 404  # answered: nothing more to record
    cohort_id = db_cohort(app, trust, application_id)
    places = text_of(client.get(
        f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/places"))
    assert "A role with a partner organisation : Mind, 2 days a week, 15 hours a week" in places
    assert "Recorded by the team" in places


def db_cohort(app, trust, application_id: int) -> int:
    with tenant_context(trust, app):
        return db.session.get(Application, application_id).cohort_id
