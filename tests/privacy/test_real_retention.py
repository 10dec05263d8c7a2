"""The retention job over real applicants: unsuccessful applications past the trust's period
are anonymised in every domain, the ones inside it are not, and the figures stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.retention import service
from tests.applications.helpers import TODAY, create_cohort, post_form
from tests.dp_support import onboard_with_staff
from tests.privacy import real_applicants as real

# 13 months after the first cohort starts: past its 12 months, inside the second's.
RUN_ON = TODAY + dt.timedelta(days=60 + 400)
UNSUCCESSFUL_PLACES = {"name", "email", "phone", "story", "needs", "note", "reason"}


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "keepfor")


def unsuccessful_applicant(app, trust, cohort_id):
    c = real.new_canaries()
    application_id, _ = real.apply(app, trust, cohort_id, c)
    real.turn_down(app, trust, application_id, c)
    return c


def run(app, trust):
    with tenant_context(trust, app):
        done = service.run_retention(db.session, today=RUN_ON, trigger="test")
        return done.status, done.counts


def test_an_unsuccessful_application_past_retention_is_anonymised_and_the_counts_kept(
        app, trust, owner_conn):
    early = create_cohort(app, trust, name="Early intake", starts=60)
    late = create_cohort(app, trust, name="Late intake", starts=300)
    past, inside = (unsuccessful_applicant(app, trust, early),
                    unsuccessful_applicant(app, trust, late))
    before = {cohort: real.cohort_figures(app, trust, cohort) for cohort in (early, late)}
    found = real.canaries_found(real.texts_in_schema(app, trust, owner_conn), past)
    assert found >= UNSUCCESSFUL_PLACES

    status, counts = run(app, trust)

    texts = real.texts_in_schema(app, trust, owner_conn)
    assert status == "ok"
    assert counts["unsuccessful_applications"]["applications"] == 1
    assert counts["unsuccessful_applications"]["applicants"] == 1
    assert counts["unsuccessful_applications"]["notes"] == 1
    assert real.canaries_found(texts, past) == set()
    assert real.canaries_found(texts, inside) >= UNSUCCESSFUL_PLACES
    assert {cohort: real.cohort_figures(app, trust, cohort) for cohort in (early, late)} == before
    assert before[early]["now"]["not_shortlisted"]["now"] == 1

    status, again = run(app, trust)
    assert status == "ok"
    assert all(not any(kinds.values()) for kinds in again.values())
    assert real.canaries_found(real.texts_in_schema(app, trust, owner_conn), inside) >= \
        UNSUCCESSFUL_PLACES


def test_a_trust_that_keeps_attendance_and_outcomes_anonymises_none_of_them(app, trust):
    with tenant_context(trust, app):
        assert service.policy(db.session).months["attendance_and_outcomes"] is None
    _, counts = run(app, trust)
    assert counts["attendance_and_outcomes"] == {}


def test_withdrawn_applications_and_then_training_records_go_when_the_trust_says(
        app, owner_conn):
    trust = onboard_with_staff(app, "keepfor")
    cohort_id = create_cohort(app, trust, starts=30)
    withdrew, trained = real.new_canaries(), real.new_canaries()
    application_id, _ = real.apply(app, trust, cohort_id, withdrew)
    applicant = real.signed_in_applicant(app, trust, withdrew)
    post_form(applicant, f"/trusts/{trust.slug}/account/applications/{application_id}/withdraw",
              {"reason": withdrew.reason})
    real.through_training(app, trust, real.apply(app, trust, cohort_id, trained)[0], trained)
    with tenant_context(trust, app):
        service.save_policy(db.session, {"attendance_and_outcomes": 1}, actor="test")
    before = real.cohort_figures(app, trust, cohort_id)
    assert "reason" in real.canaries_found(real.texts_in_schema(app, trust, owner_conn), withdrew)

    with tenant_context(trust, app):  # 7 months on: past withdrawal (6), past the course
        counts = service.run_retention(db.session, today=TODAY + dt.timedelta(days=215)).counts

    texts = real.texts_in_schema(app, trust, owner_conn)
    assert counts["withdrawn_applications"]["applications"] == 1
    assert counts["attendance_and_outcomes"]["outcomes"] == 1
    assert real.canaries_found(texts, withdrew) == set()
    assert real.canaries_found(texts, trained) == set()
    assert real.cohort_figures(app, trust, cohort_id) == before


def test_drop_in_bookings_of_people_who_never_applied_go_after_the_trusts_period(
        app, owner_conn):
    trust = onboard_with_staff(app, "keepfor")
    cohort_id = create_cohort(app, trust, starts=30)
    visitor, applicant = real.new_canaries(), real.new_canaries()
    real.apply(app, trust, cohort_id, applicant)
    with tenant_context(trust, app):
        real.book_a_drop_in(visitor)  # never applies
        real.book_a_drop_in(applicant)  # applies: kept with the application
        db.session.commit()
        booked = dict(db.session.execute(text(
            "SELECT info_session_id, count(*) FROM info_session_bookings GROUP BY 1")).all())
    places = {"name", "email", "access"}
    texts = real.texts_in_schema(app, trust, owner_conn)
    assert real.canaries_found(texts, visitor) >= places

    with tenant_context(trust, app):  # 5 months on: inside the default 6
        inside = service.run_retention(db.session, today=TODAY + dt.timedelta(days=150),
                                       trigger="test").counts
    assert inside["drop_in_bookings"] == {"drop_in_bookings": 0}
    status, counts = run(app, trust)

    texts = real.texts_in_schema(app, trust, owner_conn)
    assert status == "ok" and counts["drop_in_bookings"] == {"drop_in_bookings": 1}
    assert real.canaries_found(texts, visitor) == set()
    assert real.canaries_found(texts, applicant) >= places
    with tenant_context(trust, app):
        assert dict(db.session.execute(text(
            "SELECT info_session_id, count(*) FROM info_session_bookings GROUP BY 1")
        ).all()) == booked
    assert run(app, trust)[1]["drop_in_bookings"] == {"drop_in_bookings": 0}
