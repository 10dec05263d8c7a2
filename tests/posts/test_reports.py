"""The reports against a fixture whose figures were worked out by hand, small equality
counts suppressed, a CSV of each report, and a query count that does not grow with the
number of applications."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import (
    Application,
    EqualityMonitoring,
)
from tenants.infosessions.models import Booking, InfoSession
from tenants.posts.models import Candidacy, Post, Team
from tenants.training.models import FollowUp
from tests.applications.helpers import create_cohort
from tests.posts.helpers import bulk_eois, table_rows
from tests.workspace.helpers import count_statements, make_application

TODAY = dt.date.today()
BEFORE_DECISION = ("eoi_submitted",)
NOT_ELIGIBLE = ("eoi_submitted", "not_eligible")
UNSUCCESSFUL = ("eoi_submitted", "eligibility_checked", "shortlisted", "interview_invited",
                "interview_booked", "interviewed", "not_successful")


@pytest.fixture(scope="module")
def fixture(app, trust):
    """Alpha: 3 came to drop-ins; 10 EOIs (2 on paper); 6 eligible and shortlisted; 5
    interviewed; 4 offered, started and completed; 2 placed. Beta: 3 EOIs, no decision.
    Equality: 7 women (3 completed), 4 men (1 completed), 2 non-binary (none completed)."""
    alpha = create_cohort(app, trust, name="Alpha cohort", opens=-30, closes=-1, starts=10)
    beta = create_cohort(app, trust, name="Beta cohort", opens=5, closes=20, starts=60)
    made = {"waiting": [make_application(app, trust, alpha, stage="eoi_submitted",
                                         history=BEFORE_DECISION) for _ in range(2)],
            "not_eligible": [make_application(app, trust, alpha, stage="not_eligible",
                                              history=NOT_ELIGIBLE) for _ in range(2)],
            "shortlisted": [make_application(app, trust, alpha, stage="shortlisted")],
            "unsuccessful": [make_application(app, trust, alpha, stage="not_successful",
                                              history=UNSUCCESSFUL)],
            "completed": [make_application(app, trust, alpha, stage="completed")
                          for _ in range(4)],
            "beta_applications": [make_application(app, trust, beta, stage="eoi_submitted",
                                      history=BEFORE_DECISION) for _ in range(3)]}
    alpha_ids = [i for k, ids in made.items() if k != "beta_applications" for i in ids]
    genders = ["woman"] * 3 + ["man"]  # the four completers
    genders += ["woman"] * 4 + ["man"] * 3 + ["non_binary"] * 2  # everyone else (9)
    everyone = made["completed"] + [i for i in alpha_ids if i not in made["completed"]] \
        + made["beta_applications"]
    with tenant_context(trust, app):
        db.session.execute(update(Application).where(
            Application.id.in_(made["waiting"])).values(channel="paper"))
        for application_id, gender in zip(everyone, genders, strict=True):
            db.session.add(EqualityMonitoring(application_id=application_id,
                                              answers={"gender": gender}))
        early, late = (InfoSession(title="Drop-in", on_date=TODAY - dt.timedelta(days=d),
                                   starts_at=dt.time(10), ends_at=dt.time(11), place="Hall")
                       for d in (20, 10))
        db.session.add_all([early, late])
        db.session.flush()
        # Three people came (one of them twice, the e-mail typed differently); one booked
        # and did not come; one cancelled.
        for session_, email, attended, cancelled in (
                (early, "one@example.org", True, None), (late, "ONE@example.org", True, None),
                (early, "two@example.org", True, None), (late, None, True, None),
                (late, "absent@example.org", False, None),
                (late, "cancelled@example.org", True, dt.datetime.now(dt.UTC))):
            db.session.add(Booking(info_session_id=session_.id, name="Someone", email=email,
                                   phone=None if email else "07700 900123",
                                   attended=attended, cancelled_at=cancelled))
        team = Team(name="Report CMHT", locality="North")
        db.session.add(team)
        db.session.flush()
        for application_id in made["completed"][:2]:
            post = Post(team_id=team.id, title="PSW", status="filled")
            db.session.add(post)
            db.session.flush()
            db.session.add(Candidacy(post_id=post.id, application_id=application_id,
                                     status="placed", recorded_by="test"))
        for application_id, kind in zip(made["completed"],
                                        ("paid_psw_post", "volunteering", None, None),
                                        strict=True):
            db.session.add(FollowUp(application_id=application_id, months=3,
                                    due_on=TODAY - dt.timedelta(days=1), kind=kind))
            db.session.add(FollowUp(application_id=application_id, months=6,
                                    due_on=TODAY + dt.timedelta(days=90)))
        db.session.commit()
    return {"alpha": alpha, "beta": beta, **made}


def _reports(client, trust):
    response = client.get(f"/trusts/{trust.slug}/coordinator/reports/")
    assert response.status_code == 200
    return response


def test_the_funnel_by_cohort_matches_the_hand_count(app, trust, lead, fixture):
    rows = {row[0]: row[1:] for row in table_rows(_reports(lead[0], trust), "funnel")}
    assert rows["Alpha cohort"] == ["3", "10 (333%)", "6 (60%)", "6 (100%)", "5 (83%)",
                                    "4 (80%)", "4 (100%)", "4 (100%)", "2 (50%)"]
    assert rows["Beta cohort"] == ["0", "3 (n/a)", "0 (0%)", "0 (n/a)", "0 (n/a)",
                                   "0 (n/a)", "0 (n/a)", "0 (n/a)", "0 (n/a)"]
    assert rows["All cohorts"][:3] == ["3", "13 (433%)", "6 (46%)"]


def test_the_funnel_by_channel_cohort_comparison_and_decision_times(app, trust, lead,
                                                                    fixture):
    page = _reports(lead[0], trust)
    channels = {row[0]: row[1:] for row in table_rows(page, "channels")}
    assert channels["Paper form"][:2] == ["2", "0 (0%)"]
    assert channels["Online"][:3] == ["11", "6 (55%)", "6 (100%)"]
    compare = {row[0]: row[1:] for row in table_rows(page, "cohorts")}
    assert compare["Alpha cohort"] == ["10", "4", "4", "100%", "2", "2 of 4 (50%)"]
    decisions = {row[0]: row[1:] for row in table_rows(page, "decisions")}
    assert list(decisions) == ["Alpha cohort"]  # nobody in Beta is decided yet
    decided, median, longest = decisions["Alpha cohort"]
    assert decided == "8" and 2.9 <= float(median) <= 3.1 and 2.9 <= float(longest) <= 3.1
    body = page.get_data(as_text=True)
    assert '<svg class="report-chart" id="chart-funnel"' in body
    assert 'aria-hidden="true"' in body  # the table beside it is what screen readers read


def test_outcomes_at_the_follow_ups_count_only_those_due(app, trust, lead, fixture):
    rows = {row[0]: row[1:] for row in table_rows(_reports(lead[0], trust), "outcomes")}
    assert rows == {"Paid peer support worker post": ["1", "0", "0"],
                    "Volunteering (for example, at a Recovery College)": ["1", "0", "0"],
                    "No answer yet": ["2", "0", "0"]}


def test_equality_monitoring_is_aggregated_and_small_numbers_suppressed(app, trust, lead,
                                                                        fixture):
    page = _reports(lead[0], trust)
    gender = {row[1]: row[2:] for row in table_rows(page, "equality")
              if row[0] == "What is your gender?"}
    assert gender == {"Woman": ["7", "54%", "fewer than 5", "fewer than 5"],
                      "Man": ["fewer than 5", "fewer than 5", "fewer than 5", "fewer than 5"],
                      "Non-binary": ["fewer than 5", "fewer than 5", "0", "0%"]}
    age = {row[1]: row[2:] for row in table_rows(page, "equality")
           if row[0] == "What is your age group?"}
    assert age == {"Not answered": ["13", "100%", "fewer than 5", "fewer than 5"]}
    assert "Applicant " not in page.get_data(as_text=True)  # never beside a name


def test_each_report_downloads_as_csv_for_excel(app, trust, lead, fixture):
    client, _ = lead
    for name in ("funnel", "channels", "cohorts", "decisions", "outcomes", "equality"):
        response = client.get(f"/trusts/{trust.slug}/coordinator/reports/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.data.startswith("\ufeff".encode())
    funnel = client.get(f"/trusts/{trust.slug}/coordinator/reports/funnel.csv") \
        .data.decode("utf-8-sig").splitlines()
    assert funnel[0].startswith("Group,Came to a drop-in,Sent an EOI")
    assert "Alpha cohort,3,10 (333%),6 (60%)" in funnel[1]
    assert client.get(f"/trusts/{trust.slug}/coordinator/reports/nope.csv").status_code == 404


def _bulk_applications(app, trust, cohort_id: int, count: int) -> None:
    """`count` applications at once (bulk inserts), each with an EOI and equality answers."""
    with tenant_context(trust, app):
        bulk_eois(app, trust, cohort_id, count)
        db.session.commit()


def test_the_reports_page_runs_as_many_statements_for_1000_applications(app, trust, lead,
                                                                         fixture):
    client, _ = lead
    with count_statements(app) as before:
        _reports(client, trust)
    _bulk_applications(app, trust, fixture["beta"], 1000)
    with count_statements(app) as after:
        page = _reports(client, trust)
    assert len(after) == len(before), (len(before), len(after))
    rows = {row[0]: row[1:] for row in table_rows(page, "funnel")}
    assert rows["Beta cohort"][1] == "1003 (n/a)"
    with tenant_context(trust, app):
        assert db.session.scalar(select(Application.id).where(
            Application.cohort_id == fixture["beta"]).limit(1)) is not None
