"""After training, the applicant answers the follow-up from their account ("it takes a
couple of minutes", says the e-mail): each answer becomes an outcome entry the coordinator
sees, and outcomes are a history, never overwritten."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.training import service
from tenants.training.models import FollowUp, Outcome
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link, sign_in_link
from tests.config.test_public_page import text_of
from tests.workspace.helpers import make_application, stage_of


def _completed(app, trust, *, email: str, months_ago: int = 3) -> int:
    """A trainee who completed `months_ago` months ago, so that follow-up is due today."""
    cohort = create_cohort(app, trust, name=f"Finished intake {email[:6]}")
    application_id = make_application(app, trust, cohort, stage="completed", email=email)
    # The follow-up messages carry a sign-in link, built in a request.
    with app.test_request_context(), tenant_context(trust, app):
        application = db.session.get(Application, application_id)
        completed_on = dt.date.today() - dt.timedelta(days=31 * months_ago)
        service.schedule_follow_ups(db.session, application, completed_on, actor="test")
        db.session.commit()
    return application_id


def _signed_in(app, trust, email: str):
    client = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(client, open_link(client, link), {}).status_code == 302
    return client


def test_the_account_leads_to_the_follow_up_and_the_answer_becomes_an_outcome(app, trust,
                                                                               lead):
    email = "follow-up@applicant.example"
    application_id = _completed(app, trust, email=email)
    client = _signed_in(app, trust, email)
    account = client.get(f"/trusts/{trust.slug}/account/").get_data(as_text=True)
    url = f"/trusts/{trust.slug}/account/follow-up/{application_id}"
    assert f'href="{url}"' in account
    form = text_of(client.get(url))
    assert "It is 3 months since you finished your training" in form
    assert "It takes a couple of minutes" in form
    done = post_form(client, url, {"doing_now": "volunteering", "detail": "Recovery College",
                                   "hours_per_week": "6", "wants_support": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("done=follow-up")
    assert stage_of(app, trust, application_id) == "outcome_recorded"
    with tenant_context(trust, app):
        outcome = db.session.scalars(select(Outcome).where(
            Outcome.application_id == application_id)).one()
        assert (outcome.kind, outcome.detail, float(outcome.hours_per_week),
                outcome.wants_support) == ("volunteering", "Recovery College", 6.0, True)
        assert outcome.recorded_by.startswith("applicant:")
        three = db.session.scalars(select(FollowUp).where(
            FollowUp.application_id == application_id, FollowUp.months == 3)).one()
        assert three.recorded_at is not None and three.kind == "volunteering"
        assert outcome.follow_up_id == three.id
        cohort_id = db.session.get(Application, application_id).cohort_id
    coordinator, _ = lead
    places = text_of(coordinator.get(
        f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/places"))
    assert "Volunteering (for example, at a Recovery College) : Recovery College, 6 hours a week" \
        in places
    assert "Told us in their account" in places and "Would like support" in places


def test_a_later_answer_is_added_to_the_history_and_earlier_ones_are_kept(app, trust, lead):
    email = "history@applicant.example"
    application_id = _completed(app, trust, email=email)
    client = _signed_in(app, trust, email)
    url = f"/trusts/{trust.slug}/account/follow-up/{application_id}"
    post_form(client, url, {"doing_now": "volunteering", "wants_support": "no"})
    with tenant_context(trust, app):
        application = db.session.get(Application, application_id)
        service.record_outcome(db.session, application, kind="paid_psw_post",
                               detail="Community mental health team", actor="coordinator:1")
        db.session.commit()
        kinds = db.session.scalars(select(Outcome.kind).where(
            Outcome.application_id == application_id).order_by(Outcome.id)).all()
        assert kinds == ["volunteering", "paid_psw_post"]
        assert service.outcomes(db.session, application.cohort_id)[application_id].kind == \
            "paid_psw_post"
    coordinator, _ = lead
    places = text_of(coordinator.get(
        f"/trusts/{trust.slug}/coordinator/cohorts/{application.cohort_id}/places"))
    assert places.index("Paid peer support worker post") < places.index("Earlier: Volunteering")


def test_a_follow_up_with_missing_or_wrong_answers_shows_an_error_summary(app, trust):
    email = "errors@applicant.example"
    application_id = _completed(app, trust, email=email)
    client = _signed_in(app, trust, email)
    url = f"/trusts/{trust.slug}/account/follow-up/{application_id}"
    response = post_form(client, url, {"doing_now": "something_else", "hours_per_week": "lots"})
    page = text_of(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "<title>Error: " in response.get_data(as_text=True)
    for message in ("Tell us what you are doing",
                    "Enter your hours a week as a number, like 15",
                    "Select yes if you would like the team to contact you"):
        assert message in page
    body = response.get_data(as_text=True)
    for field in ("#detail", "#hours_per_week", "#wants_support"):
        assert f'href="{field}"' in body
    with tenant_context(trust, app):
        assert db.session.scalar(select(Outcome.id).where(
            Outcome.application_id == application_id)) is None


def test_only_the_applicants_own_application_after_training_has_a_follow_up(app, trust):
    email = "not-yet@applicant.example"
    cohort = create_cohort(app, trust, name="Still training")
    in_training = make_application(app, trust, cohort, stage="in_training", email=email)
    someone_else = _completed(app, trust, email="someone-else@applicant.example")
    client = _signed_in(app, trust, email)
    for application_id in (in_training, someone_else, "not-a-number"):
        url = f"/trusts/{trust.slug}/account/follow-up/{application_id}"
        assert client.get(url).status_code == 404, application_id
    signed_out = app.test_client().get(f"/trusts/{trust.slug}/account/follow-up/{someone_else}")
    assert signed_out.status_code == 302 and "/account/sign-in" in signed_out.headers["Location"]
