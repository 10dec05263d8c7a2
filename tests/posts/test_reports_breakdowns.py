"""The funnel by where applicants heard of the programme and the reasons by stage, against
figures worked out by hand; reached from the header; each a chart, a table and a CSV; the
equality report only for those who may see equality monitoring; and a statement count
that does not grow with 1,000 more applications."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import insert, select, update

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import (
    HEARD_VIA,
    Application,
    ApplicationEvent,
)
from tenants.posts.models import Candidacy, Post, Team
from tenants.reasons.models import DecisionReason
from tests.applications.helpers import create_cohort
from tests.posts.helpers import bulk_eois, table_rows
from tests.workspace.helpers import count_statements, make_application, signed_in_client

NOT_ELIGIBLE = ("eoi_submitted", "not_eligible")
BEFORE_DECISION = ("eoi_submitted",)
NEW_WORDS = "No lived experience of mental health challenges in the form"


def _reason_id(kind: str, key: str) -> int:
    return db.session.scalars(select(DecisionReason.id).where(
        DecisionReason.kind == kind, DecisionReason.key == key, DecisionReason.retired_at
        .is_(None))).one()


def _decided(app, trust, cohort_id: int, kind: str, key: str) -> int:
    """An EOI turned down (or withdrawn) with the reason `key`; heard of it "somewhere
    else"."""
    application_id = make_application(app, trust, cohort_id, stage=kind,
                                      history=BEFORE_DECISION)
    with tenant_context(trust, app):
        db.session.add(ApplicationEvent(application_id=application_id, actor="test",
                                        from_stage="eoi_submitted", to_stage=kind,
                                        reason_id=_reason_id(kind, key)))
        db.session.get(Application, application_id).heard_via = "other"
        db.session.commit()
    return application_id


def _heard(app, trust, ids: list[int], heard_via: str) -> None:
    with tenant_context(trust, app):
        db.session.execute(update(Application).where(Application.id.in_(ids))
                           .values(heard_via=heard_via))
        db.session.commit()


def _improve_the_words(app, trust) -> None:
    """The lived experience reason's next version (the old one is retired, not changed)."""
    with tenant_context(trust, app):
        old = db.session.get(DecisionReason, _reason_id("not_eligible", "lived_experience"))
        old.retired_at = dt.datetime.now(dt.UTC)
        db.session.add(DecisionReason(kind="not_eligible", key="lived_experience", version=2,
                                      label=NEW_WORDS, feedback=old.feedback,
                                      position=old.position, created_by="test"))
        db.session.commit()


@pytest.fixture(scope="module")
def fixture(app, trust):
    """North: from a care team 2 completed (1 placed) and 1 not eligible; from a poster 1
    shortlisted and 1 waiting; 1 completed who did not say; 4 decided with reasons
    ("somewhere else"). South: 4 decided with reasons, one after the wording improved."""
    north = create_cohort(app, trust, name="North cohort", opens=-30, closes=-1, starts=10)
    south = create_cohort(app, trust, name="South cohort", opens=-10, closes=20, starts=60)
    care = [make_application(app, trust, north, stage="completed") for _ in range(2)]
    care.append(make_application(app, trust, north, stage="not_eligible",
                                 history=NOT_ELIGIBLE))
    _heard(app, trust, care, "care_team")
    _heard(app, trust, [make_application(app, trust, north, stage="shortlisted"),
                        make_application(app, trust, north, stage="eoi_submitted",
                                         history=BEFORE_DECISION)], "poster_leaflet")
    make_application(app, trust, north, stage="completed")
    with tenant_context(trust, app):
        team = Team(name="Breakdown CMHT", locality="East")
        db.session.add(team)
        db.session.flush()
        post = Post(team_id=team.id, title="PSW", status="filled")
        db.session.add(post)
        db.session.flush()
        db.session.add(Candidacy(post_id=post.id, application_id=care[0], status="placed",
                                 recorded_by="test"))
        db.session.commit()
    for kind, key in (("not_eligible", "lived_experience"), ("not_eligible", "age"),
                      ("not_eligible", "lived_experience"), ("withdrawn", "personal")):
        _decided(app, trust, north, kind, key)
    _improve_the_words(app, trust)
    for kind, key in (("not_eligible", "lived_experience"), ("not_shortlisted", "places"),
                      ("not_shortlisted", "places"), ("not_successful", "not_attended")):
        _decided(app, trust, south, kind, key)
    return {"north": north, "south": south}


def _reports_from_the_header(client, trust):
    """The reports page, opened from the Reports link in the workspace header."""
    home = client.get(f"/trusts/{trust.slug}/coordinator/")
    href = re.search(r'<a[^>]+href="([^"]+)"[^>]*>\s*Reports\s*<', home.get_data(as_text=True))
    assert href, "Reports is in the header"
    page = client.get(href.group(1))
    assert page.status_code == 200
    return page


def test_the_funnel_by_where_applicants_heard_matches_the_hand_count(app, trust, lead,
                                                                     fixture):
    page = _reports_from_the_header(lead[0], trust)
    body = page.get_data(as_text=True)
    assert 'href="#heard"' in body and '<svg class="report-chart" id="chart-heard"' in body
    rows = table_rows(page, "heard")
    assert [row[0] for row in rows] == ["Care team or care coordinator", "Poster or leaflet",
                                        "Somewhere else", "Not answered"]
    rows = {row[0]: row[1:] for row in rows}
    assert rows["Care team or care coordinator"] == [
        "3", "2 (67%)", "2 (100%)", "2 (100%)", "2 (100%)", "2 (100%)", "2 (100%)",
        "1 (50%)", "33%"]
    assert rows["Poster or leaflet"] == ["2", "1 (50%)", "1 (100%)", "0 (0%)", "0 (n/a)",
                                         "0 (n/a)", "0 (n/a)", "0 (n/a)", "0%"]
    assert rows["Somewhere else"][:3] == ["8", "0 (0%)", "0 (n/a)"]
    assert rows["Not answered"] == ["1", "1 (100%)", "1 (100%)", "1 (100%)", "1 (100%)",
                                    "1 (100%)", "1 (100%)", "0 (0%)", "0%"]
    csv = lead[0].get(f"/trusts/{trust.slug}/coordinator/reports/heard.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Where they heard,Sent an EOI,Eligible,Shortlisted,Interviewed,"
                        "Offered a place,Started training,Completed,Placed in a post,"
                        "Placed of those who sent an EOI")
    assert lines[1] == ("Care team or care coordinator,3,2 (67%),2 (100%),2 (100%),"
                        "2 (100%),2 (100%),2 (100%),1 (50%),33%")


def test_the_reasons_by_stage_per_cohort_match_the_hand_count(app, trust, lead, fixture):
    page = _reports_from_the_header(lead[0], trust)
    assert "not reported yet" not in page.get_data(as_text=True)
    rows = table_rows(page, "reasons")
    assert rows == [
        ["Not eligible", NEW_WORDS, "2", "1", "3"],  # both wordings count as one reason
        ["Not eligible", "Under the minimum age", "1", "0", "1"],
        ["Not shortlisted", "More applicants meeting the criteria than interview places",
         "0", "2", "2"],
        ["Not successful at interview", "Did not attend the interview", "0", "1", "1"],
        ["Withdrawal", "Personal or health reasons", "1", "0", "1"]]
    body = page.get_data(as_text=True)
    headers = re.search(r'id="table-reasons">.*?<thead[^>]*>(.*?)</thead>', body, re.S)
    assert re.findall(r"<th[^>]*>(.*?)</th>", headers.group(1)) == [
        "Decision", "Reason", "North cohort", "South cohort", "All cohorts"]
    chart = re.search(r'<svg class="report-chart" id="chart-reasons".*?</svg>', body, re.S)
    assert chart and re.findall(r">(\d+)</text>", chart.group(0)) == ["4", "2", "1", "1"]
    csv = lead[0].get(f"/trusts/{trust.slug}/coordinator/reports/reasons.csv")
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Decision,Reason,North cohort,South cohort,All cohorts"
    assert lines[1] == f"Not eligible,{NEW_WORDS},2,1,3"


def test_equality_monitoring_is_reported_only_to_those_who_may_see_it(app, trust, lead,
                                                                      fixture):
    reader, _ = signed_in_client(app, trust, "read_only")
    page = _reports_from_the_header(reader, trust)
    body = page.get_data(as_text=True)
    assert 'id="table-heard"' in body and 'id="table-reasons"' in body
    assert 'id="table-equality"' not in body and 'href="#equality"' not in body
    base = f"/trusts/{trust.slug}/coordinator/reports"
    assert reader.get(f"{base}/equality.csv").status_code == 403
    assert reader.get(f"{base}/heard.csv").status_code == 200
    assert 'id="table-equality"' in lead[0].get(f"{base}/").get_data(as_text=True)
    assert lead[0].get(f"{base}/equality.csv").status_code == 200


def _bulk(app, trust, cohort_id: int, count: int) -> None:
    """`count` EOIs at once: where heard spread over every answer, a reason for every
    tenth, equality answers for each."""
    sources = (*HEARD_VIA, None)
    with tenant_context(trust, app):
        reason = _reason_id("not_shortlisted", "criteria")
        ids = bulk_eois(app, trust, cohort_id, count, gender="man", columns=lambda n: {
            "heard_via": sources[n % len(sources)],
            **({"stage": "not_shortlisted"} if n % 10 == 0 else {})})
        db.session.execute(insert(ApplicationEvent), [
            {"application_id": a, "actor": "test", "to_stage": "not_shortlisted",
             "reason_id": reason} for a in ids[::10]])
        db.session.commit()


def test_every_report_runs_as_many_statements_for_1000_more_applications(app, trust, lead,
                                                                         fixture):
    client, _ = lead
    base = f"/trusts/{trust.slug}/coordinator/reports"
    cohort = f"/trusts/{trust.slug}/coordinator/cohorts/{fixture['south']}"
    # Every report page: the reports and their CSVs, and the cohort's own dashboard (funnel
    # and reasons) and equality page, reached from Reports by choosing the cohort.
    urls = [f"{base}/", f"{base}/heard.csv", f"{base}/reasons.csv", f"{base}/equality.csv",
            f"{cohort}/", f"{cohort}/equality"]
    before = {}
    for url in urls:
        with count_statements(app) as seen:
            assert client.get(url).status_code == 200
        before[url] = len(seen)
    _bulk(app, trust, fixture["south"], 1000)
    for url in urls:
        with count_statements(app) as seen:
            response = client.get(url)
        assert len(seen) == before[url], (url, before[url], len(seen))
    page = client.get(f"{base}/")
    heard = {row[0]: row[1] for row in table_rows(page, "heard")}
    assert heard["Care team or care coordinator"] == str(3 + len(range(2, 1000, 9)))
    reasons = {row[1]: row[2:] for row in table_rows(page, "reasons")}
    assert reasons["Does not meet the shortlisting criteria"] == ["0", "100", "100"]
    assert response.status_code == 200
