"""Interview and training-day reminders: queued 24 hours ahead with the booking or the
accepted place, replaced when the interview moves, taken back when it is cancelled or the
person leaves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from peerpath.datewords import nhs_date, nhs_time
from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants.applications import service as applications
from tenants.applications.models import Application
from tenants.cohorts import service as cohorts
from tenants.cohorts.calendar import LONDON
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.interviews import service as interviews
from tenants.interviews.models import InterviewSlot
from tenants.notifications.models import OutboxMessage
from tenants.training import service as training
from tests.applications.helpers import create_cohort
from tests.workspace.helpers import make_application

PLACE = "Room 4, Recovery College"


def add_slot(app, trust, cohort_id: int, starts_at: dt.datetime) -> int:
    with tenant_context(trust, app):
        slot = InterviewSlot(cohort_id=cohort_id, starts_at=starts_at,
                             ends_at=starts_at + dt.timedelta(hours=1), place=PLACE)
        db.session.add(slot)
        db.session.commit()
        return slot.id


def messages_of(app, trust, application_id: int, template: str) -> list[OutboxMessage]:
    with tenant_context(trust, app):
        rows = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template_key == template, OutboxMessage.related_type == "application",
            OutboxMessage.related_id == str(application_id)).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(rows)


def act(app, trust, application_id: int, call) -> None:
    with app.test_request_context(), tenant_context(trust, app):
        call(db.session, db.session.get(Application, application_id))
        db.session.commit()


def in_days(days: float) -> dt.datetime:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).replace(microsecond=0)


def test_booking_queues_a_confirmation_and_a_reminder_due_24_hours_before_the_interview(
        app, trust):
    cohort = create_cohort(app, trust, name="Reminder intake")
    application = make_application(app, trust, cohort, stage="interview_invited")
    first = in_days(5)
    slot = add_slot(app, trust, cohort, first)
    act(app, trust, application, lambda s, a: interviews.book(
        s, a, slot, actor="test", adjustments="Needs a hearing loop and breaks for anxiety"))
    [confirmation] = messages_of(app, trust, application, "interview_confirmation")
    [reminder] = messages_of(app, trust, application, "interview_reminder")
    assert confirmation.next_attempt_at <= dt.datetime.now(dt.UTC)
    assert reminder.status == "created"
    assert reminder.next_attempt_at == first - dt.timedelta(hours=24)
    local = first.astimezone(LONDON)
    assert nhs_date(local) in reminder.body_text and nhs_time(local) in \
        reminder.body_text and PLACE in reminder.body_text
    assert f"/interviews/{application}" in reminder.body_text
    assert "hearing loop" not in reminder.body_text and "anxiety" not in reminder.body_html


def test_moving_the_interview_replaces_its_reminder_and_cancelling_withdraws_it(app, trust):
    cohort = create_cohort(app, trust, name="Move intake")
    application = make_application(app, trust, cohort, stage="interview_invited")
    first, later = in_days(4), in_days(6)
    slots = [add_slot(app, trust, cohort, at) for at in (first, later)]
    act(app, trust, application, lambda s, a: interviews.book(s, a, slots[0], actor="test"))
    act(app, trust, application, lambda s, a: interviews.book(s, a, slots[1], actor="test"))
    old, new = messages_of(app, trust, application, "interview_reminder")
    assert old.status == "withdrawn" and old.next_attempt_at == first - dt.timedelta(hours=24)
    assert new.status == "created" and new.next_attempt_at == later - dt.timedelta(hours=24)
    act(app, trust, application, lambda s, a: interviews.cancel(s, a, actor="test"))
    assert [m.status for m in messages_of(app, trust, application, "interview_reminder")] == \
        ["withdrawn", "withdrawn"]
    assert len(messages_of(app, trust, application, "interview_confirmation")) == 2


def test_an_interview_less_than_24_hours_away_is_confirmed_without_a_reminder(app, trust):
    cohort = create_cohort(app, trust, name="Short notice intake")
    application = make_application(app, trust, cohort, stage="interview_invited")
    slot = add_slot(app, trust, cohort, in_days(0.5))
    act(app, trust, application, lambda s, a: interviews.book(s, a, slot, actor="test"))
    assert len(messages_of(app, trust, application, "interview_confirmation")) == 1
    assert messages_of(app, trust, application, "interview_reminder") == []


def training_cohort(app, trust, name: str, offsets: tuple[int, ...]) -> int:
    """A cohort with training days `offsets` days from today, 09:30 to 15:30."""
    cohort_id = create_cohort(app, trust, name=name, capacity=5)
    today = dt.date.today()
    with tenant_context(trust, app):
        cohort = db.session.get(Cohort, cohort_id)
        for offset in offsets:
            cohort.days.append(TrainingDay(on_date=today + dt.timedelta(days=offset),
                                           starts_at=dt.time(9, 30), ends_at=dt.time(15, 30),
                                           place=f"Training room {offset}"))
        db.session.commit()
    return cohort_id


def day_start(offset: int) -> dt.datetime:
    return dt.datetime.combine(dt.date.today() + dt.timedelta(days=offset), dt.time(9, 30),
                               LONDON)


def test_accepting_a_place_queues_one_reminder_per_future_training_day(app, trust):
    cohort = training_cohort(app, trust, "Training intake", (-7, 3, 10, 17))
    application = make_application(app, trust, cohort, stage="place_offered")
    act(app, trust, application, lambda s, a: training.accept(s, a, actor="test"))
    reminders = messages_of(app, trust, application, "training_day_reminder")
    assert [m.next_attempt_at for m in reminders] == \
        [day_start(n) - dt.timedelta(hours=24) for n in (3, 10, 17)]
    assert all(m.status == "created" for m in reminders)
    assert "Training room 10" in reminders[1].body_text and "9:30am to 3:30pm" in \
        reminders[1].body_text


def test_withdrawing_from_training_takes_back_the_unsent_training_day_reminders(app, trust):
    cohort = training_cohort(app, trust, "Leavers intake", (4, 11))
    application = make_application(app, trust, cohort, stage="place_offered")
    act(app, trust, application, lambda s, a: training.accept(s, a, actor="test"))
    # Started on the first training day (the calendar gate), four days from now.
    act(app, trust, application, lambda s, a: training.start_training(
        s, cohort, actor="test", on=dt.date.today() + dt.timedelta(days=4)))
    act(app, trust, application,
        lambda s, a: applications.withdraw(s, a, reason="Moving away"))
    assert [m.status for m in messages_of(app, trust, application, "training_day_reminder")] \
        == ["withdrawn", "withdrawn"]


def test_deferring_an_accepted_place_takes_back_the_reminders_too(app, trust):
    cohort = training_cohort(app, trust, "Deferrers intake", (5,))
    application = make_application(app, trust, cohort, stage="place_offered")
    act(app, trust, application, lambda s, a: training.accept(s, a, actor="test"))
    act(app, trust, application, lambda s, a: applications.defer(s, a, reason=None))
    [reminder] = messages_of(app, trust, application, "training_day_reminder")
    assert reminder.status == "withdrawn"


def test_removing_a_training_day_after_acceptance_requeues_the_remaining_reminders(app, trust):
    cohort = training_cohort(app, trust, "Changed calendar intake", (6, 13))
    application = make_application(app, trust, cohort, stage="place_offered")
    act(app, trust, application, lambda s, a: training.accept(s, a, actor="test"))
    with app.test_request_context(), tenant_context(trust, app):
        found = db.session.get(Cohort, cohort)
        day = next(d for d in found.days if d.place == "Training room 13")
        assert cohorts.remove_training_day(db.session, found, day.id)
        db.session.commit()
    rows = messages_of(app, trust, application, "training_day_reminder")
    live = [m for m in rows if m.status == "created"]
    assert [m.next_attempt_at for m in live] == [day_start(6) - dt.timedelta(hours=24)]
    assert len(rows) == 3 and sum(m.status == "withdrawn" for m in rows) == 2
