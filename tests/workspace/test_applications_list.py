"""The applications list per cohort: filters, search, sort, pages, bulk actions, the
Disability Confident flag, and a constant number of SQL statements."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications.models import Application, ApplicationEvent
from tenants.audit.models import AuditEvent
from tenants.notifications.models import OutboxMessage
from tests.accounts.helpers import csrf_from
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import count_statements, make_application, reason_id, stage_of


def _list_url(trust, cohort_id, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/applications?{query}"


def test_the_list_filters_by_stage_and_eligibility_and_searches_name_reference_and_email(
        app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Filter intake")
    shortlisted = make_application(app, trust, cohort, stage="shortlisted", name="Sam Shortlist")
    review = make_application(app, trust, cohort, stage="eoi_submitted",
                              eligibility="needs_review", email="robin.review@applicant.example")
    by_stage = client.get(_list_url(trust, cohort, stage="shortlisted")).get_data(as_text=True)
    assert "Sam Shortlist" in by_stage and "robin.review" not in by_stage
    by_result = client.get(_list_url(trust, cohort, eligibility="needs_review"))
    assert f"/applications/{review}" in by_result.get_data(as_text=True)
    assert f"/applications/{shortlisted}\"" not in by_result.get_data(as_text=True)
    by_name = client.get(_list_url(trust, cohort, q="sam sh"))
    assert "Sam Shortlist" in by_name.get_data(as_text=True)
    assert f"/applications/{review}" in client.get(
        _list_url(trust, cohort, q="robin.review")).get_data(as_text=True)
    with tenant_context(trust, app):
        reference = db.session.get(Application, shortlisted).reference
    assert "Sam Shortlist" in client.get(_list_url(trust, cohort, q=reference.lower())) \
        .get_data(as_text=True)


def test_sorting_and_pages_split_the_list_and_bad_filters_are_a_400_not_a_500(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Paging intake")
    for n in range(27):
        make_application(app, trust, cohort, name=f"Person {n:02d}")
    first = client.get(_list_url(trust, cohort, sort="name", order="asc")).get_data(as_text=True)
    assert "Person 00" in first and "Person 26" not in first and "27 applications" in first
    second = client.get(_list_url(trust, cohort, sort="name", order="asc", page=2))
    assert "Person 26" in second.get_data(as_text=True)
    for bad in ({"stage": "hired"}, {"page": "x"}, {"sort": "salary"}, {"q": "a\x00b"}):
        response = client.get(_list_url(trust, cohort, **bad))
        assert response.status_code == 400
        assert "There is a problem" in response.get_data(as_text=True)


def test_the_list_runs_the_same_number_of_statements_for_5_and_50_applications(app, trust,
                                                                                 lead):
    client, _ = lead
    counts = []
    for size in (5, 50):
        cohort = create_cohort(app, trust, name=f"Count {size}")
        for _ in range(size):
            make_application(app, trust, cohort, disability_confident=True)
        client.get(_list_url(trust, cohort))  # warm caches (templates, wording)
        with count_statements(app) as seen:
            response = client.get(_list_url(trust, cohort))
        assert response.status_code == 200
        counts.append(len(seen))
        dashboard = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/"
        client.get(dashboard)
        with count_statements(app) as seen:
            assert client.get(dashboard).status_code == 200
        counts.append(len(seen))
    assert counts[0] > 3 and counts[0] == counts[2] and counts[1] == counts[3], counts


def test_disability_confident_applicants_are_flagged_and_counted_on_the_dashboard(app, trust,
                                                                                   lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="DC intake")
    make_application(app, trust, cohort, name="Dee Confident", disability_confident=True)
    make_application(app, trust, cohort, name="Not Eligible Opted In", disability_confident=True,
                     eligibility="not_eligible", stage="not_eligible")
    page = client.get(_list_url(trust, cohort)).get_data(as_text=True)
    assert page.count("Disability Confident</strong>") == 1
    dashboard = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/")
    assert 'id="dc-count">1<' in dashboard.get_data(as_text=True)


def _bulk(client, trust, cohort, **data):
    url = _list_url(trust, cohort)
    token = csrf_from(client.get(url))
    return client.post(url.rstrip("?"), data={**data, "csrf_token": token})


def test_bulk_shortlist_moves_the_chosen_and_reports_what_could_not_move(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Bulk intake")
    ready = make_application(app, trust, cohort)
    early = make_application(app, trust, cohort, stage="eoi_submitted",
                             eligibility="needs_review")
    other_cohort = create_cohort(app, trust, name="Elsewhere")
    elsewhere = make_application(app, trust, other_cohort)
    response = _bulk(client, trust, cohort, action="shortlist", ids=[ready, early, elsewhere])
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 application updated" in text
    assert "cannot move to &#39;Shortlisted&#39;" in text or "cannot move to 'Shortlisted'" in text
    assert stage_of(app, trust, ready) == "shortlisted"
    assert stage_of(app, trust, early) == "eoi_submitted"
    assert stage_of(app, trust, elsewhere) == "eligibility_checked"


def test_turning_down_records_the_reason_and_queues_the_outcome_message(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Reject intake")
    target = make_application(app, trust, cohort)
    missing_reason = _bulk(client, trust, cohort, action="reject", ids=[target])
    assert missing_reason.status_code == 400
    _bulk(client, trust, cohort, action="reject", ids=[target],
          reason_id=reason_id(app, trust, "not_shortlisted", "places"), note="Strong field")
    assert stage_of(app, trust, target) == "not_shortlisted"
    with tenant_context(trust, app):
        event = db.session.scalars(select(ApplicationEvent).where(
            ApplicationEvent.application_id == target).order_by(ApplicationEvent.id.desc())).first()
        assert event.reason.startswith("More applicants meeting the criteria")
        sent = db.session.scalars(select(OutboxMessage.template_key).where(
            OutboxMessage.related_id == str(target))).all()
        assert sent == ["outcome_not_shortlisted"]


def test_a_disability_confident_applicant_is_not_turned_down_without_its_own_reason(app, trust,
                                                                                     lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="DC reject intake")
    flagged = make_application(app, trust, cohort, disability_confident=True)
    criteria = reason_id(app, trust, "not_shortlisted", "criteria")
    response = _bulk(client, trust, cohort, action="reject", ids=[flagged], reason_id=criteria,
                     send_message="no")
    assert "Disability Confident: give the reason" in response.get_data(as_text=True)
    assert stage_of(app, trust, flagged) == "eligibility_checked"
    _bulk(client, trust, cohort, action="reject", ids=[flagged], reason_id=criteria,
          send_message="no", dc_reason="Did not show the essential criteria in the EOI")
    assert stage_of(app, trust, flagged) == "not_shortlisted"


def test_inviting_to_interview_queues_an_invitation_with_a_booking_link(app, trust, lead):
    client, _ = lead
    cohort = create_cohort(app, trust, name="Invite intake")
    target = make_application(app, trust, cohort, stage="shortlisted")
    _bulk(client, trust, cohort, action="invite", ids=[target])
    assert stage_of(app, trust, target) == "interview_invited"
    with tenant_context(trust, app):
        # The invitation (its reply-by reminder is tests/workspace/test_calendar_gates').
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.related_id == str(target),
            OutboxMessage.template_key != "reply_by_reminder")).one()
        assert message.template_key == "interview_invitation"
        assert f"/account/interviews/{target}" in message.body_text


def test_every_list_view_and_export_is_audited(app, trust, lead):
    client, coordinator_id = lead
    cohort = create_cohort(app, trust, name="Audit intake")
    make_application(app, trust, cohort, name="=HYPERLINK(evil)")
    client.get(_list_url(trust, cohort))
    export = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort}/pipeline.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.mimetype_params.get("charset") == "utf-8"
    body = export.get_data(as_text=True)
    assert body.startswith("\ufeffReference,"), "a byte order mark, so Excel reads UTF-8"
    assert "'=HYPERLINK(evil)" in body
    [header, row] = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert header[0] == "Reference" and row[0] != "Reference", "one header row"
    submitted = header.index("Submitted (UK time)")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", row[submitted])
    with tenant_context(trust, app):
        actions = set(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.record_id == str(cohort), AuditEvent.actor.contains(str(coordinator_id)))))
    assert {"application.list", "cohort.pipeline_export"} <= actions
