"""Cross-trust probes: every workspace URL and API call with another trust's ids, session or
token is a 404 or a redirect to sign-in, and never shows the other trust's data."""

from __future__ import annotations

import datetime as dt

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.api_tokens.service import issue
from tenants.cohorts.models import Cohort, TrainingDay
from tests.accounts.helpers import csrf_from
from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import make_application, make_coordinator, signed_in_client

BLUEPRINTS = ("workspace", "interviews", "training", "workspace_api", "interviews_api",
              "training_api", "place_conditions", "conditions_api")
SECRET_NAME = "Zed Otherplace"
VALID_BODIES = {  # by the last path segment of each API operation that takes a body
    "notes": {"body": "probe"},
    "interview-slots": {"days": ["2030-01-07"], "start": "10:00", "end": "11:00",
                        "length": 30, "place": "Room 1"},
    "interview-booking": {"slot_id": 1},
    "interview-record": {"scores": {"listening": 3}, "outcome": "reserve"},
    "place-offer": None,
    "attendance": {"statuses": {}},
    "outcome": {"kind": "not_yet"},
    "deferral": {"reason": "probe"},
    "status": {"status": "met"},
    "override": {"reason": "probe"},
    "eoi-response": {"how": "phone"},
    "reply-by": {"reply_by": "2030-01-07", "extension_reason": "probe"},
}


@pytest.fixture(scope="module")
def other(app):
    """Another trust with a cohort, a training day and an application of its own."""
    tenant = onboard_trust(app, "other", "Other NHS Trust")
    cohort = create_cohort(app, tenant, name="Other cohort")
    # Push the other trust's ids past ours, so its ids are not also valid ids here.
    for _ in range(3):
        create_cohort(app, tenant, name="Padding")
    cohort = create_cohort(app, tenant, name="Other cohort")
    application = None
    for _ in range(60):
        application = make_application(app, tenant, cohort, name=SECRET_NAME)
    with tenant_context(tenant, app):
        starts = db.session.get(Cohort, cohort).starts_on
        day = TrainingDay(cohort_id=cohort, on_date=starts, starts_at=dt.time(10),
                          ends_at=dt.time(15), place="Elsewhere")
        db.session.add(day)
        db.session.commit()
        day_id = day.id
    return {"tenant": tenant, "cohort_id": cohort, "application_id": application,
            "day_id": day_id}


def _urls(app, slug: str, ids: dict):
    values = {"trust_slug": slug, "cohort_id": ids["cohort_id"],
              "application_id": ids["application_id"], "day_id": ids["day_id"]}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in BLUEPRINTS or \
                not set(rule.arguments) & {"cohort_id", "application_id", "day_id"}:
            continue
        path = rule.rule
        for name, value in values.items():
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_a_coordinator_sees_nothing_of_another_trust_by_its_ids(app, trust, cohort_id, other):
    client, _ = signed_in_client(app, trust, "lead")
    make_application(app, trust, cohort_id)
    token = csrf_from(client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/places"))
    probed = 0
    for method, path in _urls(app, trust.slug, other):
        if path.startswith("/api/"):
            continue
        response = client.open(path, method=method, data={
            "csrf_token": token, "application_id": other["application_id"], "action": "offer",
            "body": "probe", "outcome": "eligible", "reason": "probe", "to": "shortlisted"})
        probed += 1
        assert response.status_code in (302, 404), (method, path, response.status_code)
        assert SECRET_NAME not in response.get_data(as_text=True), (method, path)
    assert probed >= 15


def test_a_session_of_one_trust_is_anonymous_at_another(app, trust, other):
    client, _ = signed_in_client(app, trust, "lead")
    for method, path in _urls(app, other["tenant"].slug, other):
        if path.startswith("/api/") or method != "GET":
            continue
        response = client.get(path)
        assert response.status_code in (302, 404), (path, response.status_code)
        if response.status_code == 302:
            assert "/sign-in" in response.headers["Location"]
        assert SECRET_NAME not in response.get_data(as_text=True)


def test_an_api_token_of_one_trust_reads_as_missing_at_another_and_with_its_ids(app, trust,
                                                                              other):
    coordinator_id, _, _ = make_coordinator(app, trust, "lead")
    with tenant_context(trust, app):
        _, token = issue(db.session, trust, coordinator_id, "probe", "write")
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    probed = 0
    for slug in (trust.slug, other["tenant"].slug):
        for method, path in _urls(app, slug, other):
            if not path.startswith("/api/"):
                continue
            # A valid body (and If-Match), so a 404 is the id lookup refusing, not validation.
            body = VALID_BODIES[path.rsplit("/", 1)[1]] if method in ("POST", "PUT") else None
            response = client.open(path, method=method, json=body,
                                   headers={**headers, "If-Match": "*"})
            probed += 1
            assert response.status_code == 404, (method, path, response.status_code)
            assert SECRET_NAME not in response.get_data(as_text=True)
    assert probed >= 20
