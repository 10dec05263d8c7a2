"""After training: a cohort is completed, two posts are advertised in two teams, three
completers express interest, two are placed. The posts are filled, the placements are the
trainees' outcomes, and the reports say 2 placed of 3 completers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application
from tenants.posts.models import Candidacy, Post, Team
from tenants.training import service as training
from tenants.training.models import Outcome
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, open_link, sign_in_link
from tests.config.test_public_page import text_of
from tests.posts.helpers import table_rows
from tests.workspace.helpers import make_application, signed_in_client, stage_of


def _base(trust) -> str:
    return f"/trusts/{trust.slug}/coordinator/posts"


def _id_of(app, trust, model, **where):
    with tenant_context(trust, app):
        return db.session.scalars(select(model.id).filter_by(**where)).one()


def _add_team_and_post(app, client, trust, team: str, locality: str, title: str) -> int:
    base = _base(trust)
    assert post_form(client, base + "/", {}).status_code in (302, 400)  # warm the CSRF page
    response = client.post(base + "/teams", data={
        "name": team, "locality": locality, "kind": "trust_team",
        "csrf_token": _csrf(client, base + "/")})
    assert response.status_code == 302, text_of(response)
    team_id = _id_of(app, trust, Team, name=team)
    response = client.post(base + "/", data={
        "team_id": team_id, "title": title, "role": "psw", "hours_per_week": "22.5",
        "band": "3", "status": "advertised", "advert_url": "https://jobs.example/psw-1",
        "csrf_token": _csrf(client, base + "/")})
    assert response.status_code == 302, text_of(response)
    return _id_of(app, trust, Post, title=title)


def _csrf(client, url):
    from tests.applications.helpers import csrf_from

    return csrf_from(client.get(url))


def test_two_of_three_completers_are_placed_and_the_reports_say_so(app, trust, lead):
    client, _ = lead
    cohort_id = create_cohort(app, trust, name="Autumn 2026 cohort")
    completers = [make_application(app, trust, cohort_id, stage="completed",
                                   name=f"Completer {n}") for n in (1, 2, 3)]
    still_training = make_application(app, trust, cohort_id, stage="in_training")
    north = _add_team_and_post(app, client, trust, "Hinckley CMHT", "Hinckley",
                               "Peer support worker, Hinckley")
    south = _add_team_and_post(app, client, trust, "Melton CMHT", "Melton",
                               "Peer support worker, Melton")
    matching = f"{_base(trust)}/cohorts/{cohort_id}/matching"
    page = text_of(client.get(matching))
    assert "0 of 3 people who completed the training placed; 2 posts open" in page

    # What they want: Completer 1 wants work in Hinckley, within the post's hours.
    response = client.post(f"{_base(trust)}/cohorts/{cohort_id}/preferences", data={
        "person": completers[0], "wants_work": "yes", "locality": "Hinckley",
        "max_hours_per_week": "30", "csrf_token": _csrf(client, matching)})
    assert response.status_code == 302, text_of(response)
    assert "Work in Hinckley, up to 30 hours a week" in text_of(client.get(matching))
    assert "Suits 1 open post" in text_of(client.get(matching))

    interests = [(completers[0], north), (completers[1], south), (completers[2], north)]
    for application_id, post_id in interests:
        response = client.post(f"{_base(trust)}/cohorts/{cohort_id}/interest", data={
            "application_id": application_id, "post_id": post_id,
            "csrf_token": _csrf(client, matching)})
        assert response.status_code == 302, text_of(response)
    # Someone still in training cannot be matched yet: an error summary, not a 500.
    refused = client.post(f"{_base(trust)}/cohorts/{cohort_id}/interest", data={
        "application_id": still_training, "post_id": north,
        "csrf_token": _csrf(client, matching)})
    assert refused.status_code == 400
    assert "There is a problem" in text_of(refused)
    assert "Only people who completed the training can be matched" in text_of(refused)
    assert "<title>Error: " in refused.get_data(as_text=True)

    def act(application_id, post_id, action, **extra):
        candidacy = _id_of(app, trust, Candidacy, application_id=application_id,
                           post_id=post_id)
        response = client.post(
            f"{_base(trust)}/cohorts/{cohort_id}/candidacies/{candidacy}",
            data={"action": action, "csrf_token": _csrf(client, matching), **extra})
        assert response.status_code == 302, text_of(response)

    act(completers[0], north, "interview")
    act(completers[0], north, "place", placed_on="2026-12-01")
    act(completers[1], south, "place")

    with tenant_context(trust, app):
        assert {p.status for p in db.session.scalars(select(Post))} == {"filled"}
        third = db.session.scalars(select(Candidacy).filter_by(
            application_id=completers[2])).one()
        assert third.status == "not_placed"  # the post they wanted went to someone else
        outcomes = {o.application_id: o for o in db.session.scalars(
            select(Outcome).where(Outcome.application_id.in_(completers)))}
        assert set(outcomes) == {completers[0], completers[1]}
        first = outcomes[completers[0]]
        assert (first.kind, first.detail, float(first.hours_per_week)) == (
            "paid_psw_post", "Peer support worker, Hinckley, Hinckley CMHT", 22.5)
    assert stage_of(app, trust, completers[0]) == "outcome_recorded"
    assert stage_of(app, trust, completers[2]) == "completed"
    assert "2 of 3 people who completed the training placed; 0 posts open" in \
        text_of(client.get(matching))
    places = text_of(client.get(
        f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/places"))
    assert "Paid peer support worker post : Peer support worker, Hinckley, Hinckley CMHT" \
        in places

    reports = client.get(f"/trusts/{trust.slug}/coordinator/reports/")
    assert reports.status_code == 200
    row = next(r for r in table_rows(reports, "cohorts") if r[0] == "Autumn 2026 cohort")
    assert row[3] == "3" and row[5] == "2" and row[6] == "2 of 3 (67%)", row

    # A filled post stays filled; a placed candidacy is decided.
    posts_page = text_of(client.get(_base(trust) + "/"))
    assert posts_page.count("Filled") >= 2


def test_a_placement_and_a_follow_up_from_the_account_are_both_in_the_history(app, trust,
                                                                            lead):
    client, _ = lead
    cohort_id = create_cohort(app, trust, name="Summer 2026 cohort")
    email = "placed-then-answered@applicant.example"
    application_id = make_application(app, trust, cohort_id, stage="completed", email=email)
    with app.test_request_context(), tenant_context(trust, app):
        application = db.session.get(Application, application_id)
        training.schedule_follow_ups(db.session, application,
                                     dt.date.today() - dt.timedelta(days=100), actor="test")
        db.session.commit()
    post_id = _add_team_and_post(app, client, trust, "Recovery College", "Leicester",
                                 "Peer trainer")
    with tenant_context(trust, app):
        db.session.get(Team, _id_of(app, trust, Team, name="Recovery College")).kind = \
            "volunteering"
        db.session.commit()
    matching = f"{_base(trust)}/cohorts/{cohort_id}/matching"
    assert client.post(f"{_base(trust)}/cohorts/{cohort_id}/interest", data={
        "application_id": application_id, "post_id": post_id,
        "csrf_token": _csrf(client, matching)}).status_code == 302
    candidacy = _id_of(app, trust, Candidacy, application_id=application_id)
    assert client.post(f"{_base(trust)}/cohorts/{cohort_id}/candidacies/{candidacy}", data={
        "action": "place", "csrf_token": _csrf(client, matching)}).status_code == 302

    applicant = app.test_client()
    link = f"/trusts/{trust.slug}/account/sign-in/{sign_in_link(app, trust, email)}"
    assert post_form(applicant, open_link(applicant, link), {}).status_code == 302
    answered = post_form(applicant, f"/trusts/{trust.slug}/account/follow-up/{application_id}",
                         {"doing_now": "paid_psw_post", "hours_per_week": "30",
                          "wants_support": "no"})
    assert answered.status_code == 302
    with tenant_context(trust, app):
        kinds = list(db.session.scalars(select(Outcome.kind).where(
            Outcome.application_id == application_id).order_by(Outcome.id)))
    assert kinds == ["volunteering", "paid_psw_post"]
    places = text_of(client.get(
        f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/places"))
    assert "Told us in their account" in places
    assert "Earlier: Volunteering (for example, at a Recovery College) : Peer trainer, " \
           "Recovery College" in places


def test_read_only_staff_read_posts_and_reports_without_the_forms_and_panels_do_not(app,
                                                                                   trust):
    reader, _ = signed_in_client(app, trust, "read_only")
    page = reader.get(_base(trust) + "/")
    assert page.status_code == 200 and "Add the team" not in page.get_data(as_text=True)
    assert reader.get(f"/trusts/{trust.slug}/coordinator/reports/").status_code == 200
    assert reader.post(_base(trust) + "/teams", data={"name": "Sneaky team",
                                                      "kind": "trust_team"}).status_code \
        in (400, 403)
    with tenant_context(trust, app):
        assert db.session.scalars(select(Team).filter_by(name="Sneaky team")).first() is None
    panel, _ = signed_in_client(app, trust, "panel")
    assert panel.get(_base(trust) + "/").status_code == 403
    assert panel.get(f"/trusts/{trust.slug}/coordinator/reports/").status_code == 403


def test_a_post_with_wrong_hours_shows_an_error_summary(app, trust, lead):
    client, _ = lead
    response = client.post(_base(trust) + "/", data={
        "team_id": "1", "title": "Peer worker", "role": "psw", "hours_per_week": "lots",
        "csrf_token": _csrf(client, _base(trust) + "/")})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "<title>Error: " in page
    assert 'href="#hours_per_week"' in page
