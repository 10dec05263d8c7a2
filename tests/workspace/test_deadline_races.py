"""Offers that lapse (or are declined) at the same moment, each in its own transaction on its
own connection: the freed places go to exactly the right people on the waiting list, never
more than the cohort holds, and no offer lapses (or is told so) twice."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.extensions import db
from peerpath.refusal import Refused
from peerpath.tenancy import tenant_context
from tenants.applications import deadlines
from tenants.applications.models import Application
from tenants.cohorts.service import places_offered
from tenants.notifications.models import OutboxMessage
from tenants.training import service as training
from tests.applications.helpers import create_cohort
from tests.workspace.concurrency import race
from tests.workspace.helpers import make_application, stage_of

YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def offers_past_their_date(app, trust, cohort_id: int, count: int) -> list[int]:
    ids = [make_application(app, trust, cohort_id, stage="place_offered")
           for _ in range(count)]
    with tenant_context(trust, app):
        for application_id in ids:
            db.session.get(Application, application_id).reply_by = YESTERDAY
        db.session.commit()
    return ids


def waiting_list(app, trust, cohort_id: int, count: int) -> list[int]:
    """In the order they joined the waiting list (one commit each, so times differ)."""
    return [make_application(app, trust, cohort_id, stage="waiting_list")
            for _ in range(count)]


def lapsed_messages(app, trust, application_id: int) -> int:
    with tenant_context(trust, app):
        return len(db.session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.template_key == deadlines.LAPSED,
            OutboxMessage.related_id == str(application_id))).all())


def test_two_offers_lapsing_at_once_offer_the_two_longest_waiting_and_no_more(app, trust):
    for run in range(3):
        cohort_id = create_cohort(app, trust, name=f"Two lapse together {run}", capacity=2)
        lapsing = offers_past_their_date(app, trust, cohort_id, 2)
        waiting = waiting_list(app, trust, cohort_id, 3)
        results = race(app, trust, [
            lambda s, a=a: deadlines.lapse(s, s.get(Application, a)) for a in lapsing])
        assert results == [True, True], results
        assert [stage_of(app, trust, a) for a in lapsing] == ["withdrawn", "withdrawn"]
        assert [stage_of(app, trust, w) for w in waiting] == \
            ["place_offered", "place_offered", "waiting_list"]
        with tenant_context(trust, app):
            assert places_offered(db.session, cohort_id) == 2


def test_two_deadline_runs_at_once_lapse_one_offer_once_and_fill_its_one_place(app, trust):
    for run in range(3):
        cohort_id = create_cohort(app, trust, name=f"Two runs one place {run}", capacity=1)
        [lapsing] = offers_past_their_date(app, trust, cohort_id, 1)
        waiting = waiting_list(app, trust, cohort_id, 2)
        results = race(app, trust, [lambda s: deadlines.lapse_overdue(s)] * 2)
        mine = [r for r in results if isinstance(r, list) and lapsing in r]
        assert len(mine) == 1, results
        assert stage_of(app, trust, lapsing) == "withdrawn"
        assert [stage_of(app, trust, w) for w in waiting] == ["place_offered", "waiting_list"]
        assert lapsed_messages(app, trust, lapsing) == 1
        with tenant_context(trust, app):
            assert places_offered(db.session, cohort_id) == 1


def place_messages(app, trust, application_id: int) -> int:
    with tenant_context(trust, app):
        return len(db.session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.template_key.in_(("place_offer", "application_update",
                                            deadlines.LAPSED)),
            OutboxMessage.related_id == str(application_id))).all())


def test_a_decline_and_a_lapse_of_the_same_offer_at_once_give_its_place_back_once(app, trust):
    """The applicant turns the place down as the nightly job lapses it: both lock the cohort
    first, so one waits for the other, finds the offer gone and changes nothing."""
    for run in range(3):
        cohort_id = create_cohort(app, trust, name=f"Decline or lapse {run}", capacity=1)
        [offer] = offers_past_their_date(app, trust, cohort_id, 1)
        waiting = waiting_list(app, trust, cohort_id, 2)
        results = race(app, trust, [
            lambda s, a=offer: training.decline(s, s.get(Application, a), actor="applicant:1"),
            lambda s, a=offer: deadlines.lapse(s, s.get(Application, a))])
        declined, lapsed = results
        assert (declined is None) != (lapsed is True), results
        assert declined is None or isinstance(declined, Refused), results
        assert lapsed in (True, False), results
        assert stage_of(app, trust, offer) == "withdrawn"
        assert [stage_of(app, trust, w) for w in waiting] == ["place_offered", "waiting_list"]
        assert place_messages(app, trust, offer) == 1, "told once: declined or lapsed"
        with tenant_context(trust, app):
            assert places_offered(db.session, cohort_id) == 1


def test_a_decline_and_another_offer_lapsing_at_once_offer_the_two_longest_waiting(
        app, trust):
    for run in range(3):
        cohort_id = create_cohort(app, trust, name=f"Decline and lapse {run}", capacity=2)
        declining = make_application(app, trust, cohort_id, stage="place_offered")
        [lapsing] = offers_past_their_date(app, trust, cohort_id, 1)
        waiting = waiting_list(app, trust, cohort_id, 3)
        results = race(app, trust, [
            lambda s, a=declining: training.decline(s, s.get(Application, a),
                                                    actor="applicant:1"),
            lambda s, a=lapsing: deadlines.lapse(s, s.get(Application, a))])
        assert results == [None, True], results
        assert [stage_of(app, trust, w) for w in waiting] == \
            ["place_offered", "place_offered", "waiting_list"]
        with tenant_context(trust, app):
            assert places_offered(db.session, cohort_id) == 2
