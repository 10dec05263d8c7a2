"""The pipeline state machine: every listed move is allowed, everything else is refused
with a reason, and history is append-only in the database."""

from __future__ import annotations

import itertools

import pytest

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications import pipeline, service
from tenants.applications.models import ApplicationEvent
from tenants.applications.pipeline import IllegalTransition, check_transition


def test_every_listed_move_is_allowed_with_a_reason():
    for current, targets in pipeline.TRANSITIONS.items():
        for target in targets:
            check_transition(current, target, reason="Recorded by the test")


def test_every_unlisted_move_is_refused_with_a_readable_reason():
    for current, target in itertools.product(pipeline.ALL_STAGES, repeat=2):
        if target in pipeline.TRANSITIONS[current]:
            continue
        with pytest.raises(IllegalTransition) as refused:
            check_transition(current, target, reason="x")
        assert pipeline.LABELS[current] in refused.value.reason


def test_the_main_line_runs_in_order_and_cannot_skip_a_stage():
    for current, following in itertools.pairwise(pipeline.STAGES):
        check_transition(current, following)
    with pytest.raises(IllegalTransition, match="cannot move to 'Place offered'"):
        check_transition("eoi_submitted", "place_offered")


def test_bad_news_and_overrides_need_a_reason():
    for target in ("not_eligible", "not_shortlisted", "not_successful"):
        source = next(s for s, t in pipeline.TRANSITIONS.items() if target in t)
        with pytest.raises(IllegalTransition, match="Give a reason"):
            check_transition(source, target, reason="  ")
    with pytest.raises(IllegalTransition, match="Give a reason"):
        check_transition("not_eligible", "eligibility_checked")


def test_applicants_may_only_withdraw_or_defer():
    check_transition("shortlisted", "withdrawn", by_applicant=True)
    check_transition("shortlisted", "deferred", by_applicant=True)
    with pytest.raises(IllegalTransition, match="only withdraw or ask to defer"):
        check_transition("interviewed", "place_offered", by_applicant=True)


def test_closed_applications_cannot_move_and_unknown_stages_are_named():
    for stage in ("withdrawn", "not_successful", "deferred", "outcome_recorded"):
        with pytest.raises(IllegalTransition, match="closed"):
            check_transition(stage, "shortlisted")
    with pytest.raises(IllegalTransition, match="not a stage"):
        check_transition("shortlisted", "hired")


def test_every_stage_has_plain_words_for_the_applicant():
    assert set(pipeline.PLAIN_WORDS) == set(pipeline.ALL_STAGES) == set(pipeline.LABELS)


def test_a_transition_writes_an_event_and_history_cannot_be_rewritten(
        app, make_trust):
    from tests.applications.helpers import create_cohort

    tenant = make_trust()
    cohort_id = create_cohort(app, tenant)
    with tenant_context(tenant, app):
        cohort = service.sources.get_cohort(db.session, cohort_id)
        application, made = service.start(db.session, cohort, name="Pat Example",
                                          email="pat@applicant.example",
                                          on=service.sources.today())
        assert made
        service.transition(db.session, application, "eoi_submitted", actor="test")
        with pytest.raises(IllegalTransition):
            service.transition(db.session, application, "in_training", actor="test")
        assert application.stage == "eoi_submitted"
        db.session.commit()
        events = service.history(db.session, application.id)
        assert [(e.from_stage, e.to_stage, e.actor) for e in events] == [
            (None, "interest_registered", f"applicant:{application.applicant_id}"),
            ("interest_registered", "eoi_submitted", "test")]
        with pytest.raises(Exception, match="permission denied"):
            db.session.query(ApplicationEvent).update({"reason": "rewritten"})
            db.session.flush()
        db.session.rollback()
