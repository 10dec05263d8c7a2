"""A cohort run on a frozen clock, from the window opening to the 12-month follow-up: each
calendar gate refuses (or warns) on the wrong date and allows on the right one, each reply-by
deadline fires once on the right working day, and nothing is sent after an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.refusal import Refused
from peerpath.tenancy import tenant_context
from tenants.applications import deadlines
from tenants.applications import service as applications
from tenants.applications.models import Application
from tenants.audit.models import AuditEvent
from tenants.cohorts import gates
from tenants.cohorts.calendar import LONDON, add_working_days
from tenants.cohorts.models import Cohort, Course, TrainingDay
from tenants.notifications.models import OutboxMessage
from tenants.shortlisting import service as shortlisting
from tenants.training import service as training
from tenants.training.models import FollowUp
from tests.workspace.conditions_support import act, meet_every_condition, on_application
from tests.workspace.helpers import make_application, stage_of

D = dt.date
TRAINING_DAYS = (D(2027, 3, 1), D(2027, 3, 8), D(2027, 3, 15))


def frozen(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), LONDON), tick=False)


def calendar_cohort(app, trust, name: str, *, capacity: int = 4) -> int:
    """Window 4-29 January 2027, interview week of 15 February, training on three Mondays."""
    with tenant_context(trust, app):
        course = db.session.scalars(select(Course).limit(1)).first()
        cohort = Cohort(course_id=course.id, name=name, capacity=capacity,
                        eoi_opens_on=D(2027, 1, 4), eoi_closes_on=D(2027, 1, 29),
                        interview_week_of=D(2027, 2, 15), starts_on=D(2027, 3, 1))
        cohort.days = [TrainingDay(on_date=day, starts_at=dt.time(9, 30),
                                   ends_at=dt.time(15, 30), place="Recovery College")
                       for day in TRAINING_DAYS]
        db.session.add(cohort)
        db.session.commit()
        return cohort.id


def outbox(app, trust, application_id: int, template: str | None = None) -> list[OutboxMessage]:
    with tenant_context(trust, app):
        query = select(OutboxMessage).where(OutboxMessage.related_type == "application",
                                            OutboxMessage.related_id == str(application_id))
        if template:
            query = query.where(OutboxMessage.template_key == template)
        rows = list(db.session.scalars(query.order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def london(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), LONDON)


def test_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    assert add_working_days(D(2027, 1, 29), 1) == D(2027, 2, 1)  # Friday -> Monday
    # Good Friday 26 March and Easter Monday 29 March 2027 do not count.
    assert add_working_days(D(2027, 3, 23), 5) == D(2027, 4, 1)
    assert add_working_days(D(2027, 4, 1), -1) == D(2027, 3, 31)


def test_shortlisting_opens_the_day_after_the_window_closes_and_early_only_by_a_lead(app, trust):
    cohort_id = calendar_cohort(app, trust, "Gated shortlist")
    waiting = make_application(app, trust, cohort_id, stage="eligibility_checked")

    def finalise(**kwargs):
        return act(app, trust, lambda s: shortlisting.finalise(
            s, s.get(Cohort, cohort_id), {waiting: "shortlist"}, reasons={}, actor="lead",
            **kwargs))

    with frozen(D(2027, 1, 29)), pytest.raises(gates.TooEarly, match="29 January 2027"):
        finalise(is_lead=True)
    with frozen(D(2027, 1, 20)), pytest.raises(gates.TooEarly):
        finalise(early_reason="The panel is only free this week", is_lead=False)
    assert stage_of(app, trust, waiting) == "eligibility_checked"
    with frozen(D(2027, 1, 20)):
        finalise(early_reason="The panel is only free this week", is_lead=True)
    assert stage_of(app, trust, waiting) == "shortlisted"
    with tenant_context(trust, app):
        early = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "shortlist.finalise_early",
            AuditEvent.record_id == str(cohort_id))).one()
        assert early.detail["reason"] == "The panel is only free this week"


def test_a_cohort_runs_on_its_calendar_from_the_window_to_the_twelve_month_follow_up(
        app, trust):
    cohort_id = calendar_cohort(app, trust, "Calendar run")
    person = make_application(app, trust, cohort_id, stage="eligibility_checked")
    with frozen(D(2027, 2, 1)):  # the Monday after the closing date
        act(app, trust, lambda s: shortlisting.finalise(
            s, s.get(Cohort, cohort_id), {person: "shortlist"}, reasons={}, actor="lead"))
    assert stage_of(app, trust, person) == "shortlisted"

    with tenant_context(trust, app):
        cohort = db.session.get(Cohort, cohort_id)
        assert "outside interview week" in gates.interview_slot_warning(cohort, D(2027, 4, 5))
        assert gates.interview_slot_warning(cohort, D(2027, 2, 17)) is None

    # Invited on Monday 8 February: reply by Monday 15th, reminded on Friday 12th at 9am.
    with frozen(D(2027, 2, 8)):
        on_application(app, trust, person, lambda s, a: applications.transition(
            s, a, "interview_invited", actor="coordinator"))
    [invitation] = outbox(app, trust, person, "interview_invitation")
    assert "15 February 2027" in invitation.body_text
    [reminder] = outbox(app, trust, person, deadlines.REMINDER)
    assert reminder.next_attempt_at == london(D(2027, 2, 12), 9)
    with frozen(D(2027, 2, 10)):
        for stage in ("interview_booked", "interviewed"):
            on_application(app, trust, person, lambda s, a, stage=stage:
                           applications.transition(s, a, stage, actor="coordinator"))
    assert [m.status for m in outbox(app, trust, person, deadlines.REMINDER)] == ["withdrawn"]
    with frozen(D(2027, 2, 16)):
        on_application(app, trust, person,
                       lambda s, a: training.offer_place(s, a, actor="coordinator"))
    with tenant_context(trust, app):
        assert db.session.get(Application, person).reply_by == D(2027, 2, 23)
    with frozen(D(2027, 2, 18)):
        on_application(app, trust, person, lambda s, a: training.accept(s, a, actor="person"))
    with tenant_context(trust, app):
        assert db.session.get(Application, person).reply_by is None

    day_ids = act(app, trust, lambda s: [d.id for d in s.get(Cohort, cohort_id).days])
    with frozen(D(2027, 2, 26)), pytest.raises(gates.TooEarly, match="1 March 2027"):
        act(app, trust, lambda s: training.start_training(s, cohort_id, actor="coordinator"))
    with frozen(D(2027, 3, 1)):
        # The conditions of the place come first: pending, nobody starts.
        assert act(app, trust, lambda s: training.start_training(
            s, cohort_id, actor="coordinator")) == 0
        meet_every_condition(app, trust, person)
        assert act(app, trust, lambda s: training.start_training(
            s, cohort_id, actor="coordinator")) == 1
    for when, day_id in zip(TRAINING_DAYS, day_ids, strict=True):
        with frozen(when - dt.timedelta(days=1)), pytest.raises(gates.TooEarly,
                                                                 match="not happened"):
            act(app, trust, lambda s, day_id=day_id: training.mark_attendance(
                s, s.get(TrainingDay, day_id), {person: "present"}, actor="coordinator"))
        with frozen(when, hour=16):
            act(app, trust, lambda s, day_id=day_id: training.mark_attendance(
                s, s.get(TrainingDay, day_id), {person: "present"}, actor="coordinator"))

    with frozen(D(2027, 3, 14)), pytest.raises(gates.TooEarly, match="15 March 2027"):
        on_application(app, trust, person, lambda s, a: training.complete(s, a, actor="c"))
    with frozen(D(2027, 3, 19)):  # completed a few days after the last training day
        on_application(app, trust, person, lambda s, a: training.complete(s, a, actor="c"))
    with tenant_context(trust, app):
        due = sorted(db.session.scalars(select(FollowUp.due_on).where(
            FollowUp.application_id == person)))
    assert due == [D(2027, 6, 15), D(2027, 9, 15), D(2028, 3, 15)]

    with frozen(D(2028, 3, 16)):
        on_application(app, trust, person, lambda s, a: training.record_outcome(
            s, a, kind="paid_psw_post", detail=None, actor="coordinator"))
    # Nothing is still waiting for a later date to go to someone with an outcome (what was
    # due before now went when it was due: no worker runs in this test).
    later = [m.template_key for m in outbox(app, trust, person)
             if m.status == "created" and m.next_attempt_at > london(D(2028, 3, 16), 10)]
    assert later == []
    assert {m.status for m in outbox(app, trust, person, "training_day_reminder")} == \
        {"withdrawn"}


def test_an_offer_lapses_once_the_day_after_its_reply_by_date_and_the_next_is_offered(
        app, trust):
    cohort_id = calendar_cohort(app, trust, "Lapsing offers", capacity=1)
    with frozen(D(2027, 2, 20)):
        waiting = [make_application(app, trust, cohort_id, stage="waiting_list")
                   for _ in range(2)]
    offered = make_application(app, trust, cohort_id, stage="interviewed")
    with frozen(D(2027, 3, 23)):  # Tuesday before Easter 2027
        on_application(app, trust, offered, lambda s, a: training.offer_place(s, a, actor="c"))
    with tenant_context(trust, app):
        assert db.session.get(Application, offered).reply_by == D(2027, 4, 1)
    [reminder] = outbox(app, trust, offered, deadlines.REMINDER)
    assert reminder.next_attempt_at == london(D(2027, 3, 31), 9)  # 8am UTC in summer time

    assert act(app, trust, lambda s: deadlines.lapse_overdue(s, on=D(2027, 4, 1))) == []
    assert stage_of(app, trust, offered) == "place_offered"
    with frozen(D(2027, 4, 2), hour=0):
        assert act(app, trust, lambda s: deadlines.lapse_overdue(s)) == [offered]
        assert act(app, trust, lambda s: deadlines.lapse_overdue(s)) == []
    assert stage_of(app, trust, offered) == "withdrawn"
    assert [stage_of(app, trust, w) for w in waiting] == ["place_offered", "waiting_list"]
    [lapsed] = outbox(app, trust, offered, deadlines.LAPSED)  # in Easy Read, as asked
    assert "1 April 2027" in lapsed.body_text and "This is OK. You can apply again." in \
        lapsed.body_text
    assert [m.status for m in outbox(app, trust, offered, deadlines.REMINDER)] == ["withdrawn"]
    assert len(outbox(app, trust, waiting[0], "place_offer")) == 1


def test_a_coordinator_extends_a_reply_by_date_and_it_is_audited(app, trust):
    cohort_id = calendar_cohort(app, trust, "Extended offers")
    offered = make_application(app, trust, cohort_id, stage="interviewed")
    with frozen(D(2027, 2, 16)):
        on_application(app, trust, offered, lambda s, a: training.offer_place(s, a, actor="c"))
        with pytest.raises(Refused, match="after"):
            on_application(app, trust, offered, lambda s, a: deadlines.extend(
                s, a, D(2027, 2, 22), actor="coordinator:1"))
        # Training starts on Monday 1 March: an offer is answered by the Friday before.
        with pytest.raises(Refused, match="no later than Friday 26 February 2027"):
            on_application(app, trust, offered, lambda s, a: deadlines.extend(
                s, a, D(2027, 3, 2), actor="coordinator:1"))
        on_application(app, trust, offered, lambda s, a: deadlines.extend(
            s, a, D(2027, 2, 26), actor="coordinator:1"))
    assert act(app, trust, lambda s: deadlines.lapse_overdue(s, on=D(2027, 2, 24))) == []
    reminders = outbox(app, trust, offered, deadlines.REMINDER)
    assert [m.status for m in reminders] == ["withdrawn", "created"]
    assert reminders[1].next_attempt_at == london(D(2027, 2, 25), 9)
    with tenant_context(trust, app):
        audit = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "application.reply_by_extended",
            AuditEvent.record_id == str(offered))).one()
        assert audit.detail == {"from": "2027-02-23", "to": "2027-02-26"}


def test_the_shortlist_page_asks_a_lead_for_a_reason_while_applications_are_open(
        app, trust, lead):
    from tests.accounts.helpers import post_form
    from tests.applications.helpers import create_cohort

    client, _ = lead
    cohort_id = create_cohort(app, trust, name="Open window shortlist")  # closes in 20 days
    waiting = make_application(app, trust, cohort_id, stage="eligibility_checked")
    base = f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/shortlisting"
    page = client.get(base).get_data(as_text=True)
    assert 'name="early_reason"' in page
    refused = post_form(client, base + "/finalise", {f"decision-{waiting}": "shortlist"},
                        form_page=base)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "There is a problem" in body
    assert 'href="#early_reason"' in body and "Only a lead can" in body
    assert stage_of(app, trust, waiting) == "eligibility_checked"
    done = post_form(client, base + "/finalise", {f"decision-{waiting}": "shortlist",
                                                 "early_reason": "Panel leaves next week"},
                     form_page=base)
    assert done.status_code == 302 and stage_of(app, trust, waiting) == "shortlisted"


def test_the_cohort_dashboard_says_what_is_due_this_week(app, trust, lead):
    from tests.applications.helpers import create_cohort

    client, _ = lead
    cohort_id = create_cohort(app, trust, name="Closing today", opens=-20, closes=0)
    offered = make_application(app, trust, cohort_id, stage="place_offered")
    with tenant_context(trust, app):
        db.session.get(Application, offered).reply_by = gates.today()
        db.session.commit()
    page = client.get(f"/trusts/{trust.slug}/coordinator/cohorts/{cohort_id}/")
    body = page.get_data(as_text=True)
    due = body[body.index('id="due-this-week"'):body.index("<h2>Key dates</h2>")]
    assert f"{gates.today():%A %-d %B}: Closing date for applications" in due
    assert "1 reply is due to an interview invitation or a place offer" in due
