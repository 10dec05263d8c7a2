"""Issue 16's full cohort run, on a frozen clock, from the window opening to the 12-month
follow-up, with every message delivered by a real forking RQ worker.

One trust, three applicants: P goes all the way (EOI, shortlist, interview, place,
training, follow-ups, outcome), Q is not shortlisted, R is invited and never answers. Each
gate refuses on the wrong date and allows on the right one; each deadline (the team's EOI
chaser, the reply-by reminder, the lapse, the training-day reminders, the follow-ups and
their reminder) fires once, on its working day: the night's deadline job and the day's
deliveries run on the worker (on a queue of this test's own), and what it sent that day is
compared with what was due. Nothing reaches anyone after their outcome.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from rq import Worker
from sqlalchemy import select

from peerpath.extensions import db
from peerpath.queue import enqueue
from peerpath.tenancy import tenant_context
from tenants.applications import responses
from tenants.applications import service as applications
from tenants.applications.models import Applicant, Application
from tenants.cohorts import gates
from tenants.cohorts.models import Cohort, TrainingDay
from tenants.conditions import service as conditions
from tenants.notifications.models import OutboxMessage
from tenants.shortlisting import service as shortlisting
from tenants.training import service as training
from tests.applications.helpers import onboard_trust
from tests.workspace.conditions_support import act, on_application
from tests.workspace.helpers import make_application, make_coordinator
from tests.workspace.test_calendar_gates import TRAINING_DAYS, calendar_cohort, frozen, london

D = dt.date
COORDINATOR = "trust:run:1"


class Run:
    """The trust's nights and days on the worker, and what was sent on each."""

    def __init__(self, app, trust, people: dict[int, str], staff: dict[str, str]):
        from worker.app import get_app

        get_app()  # built once here, so every forked job inherits it
        self.app, self.trust, self.people = app, trust, people
        self.redis = app.extensions["redis"]
        self.queue = f"cohort-run-{trust.slug}"
        with tenant_context(trust, app):
            emails = dict(db.session.execute(
                select(Applicant.email, Application.id).join(
                    Application, Application.applicant_id == Applicant.id).where(
                    Application.id.in_(people))).all())
        self.who = {email: people[application_id] for email, application_id in emails.items()}
        self.who.update(staff)
        self.seen: set[int] = set()
        self.runs = 0

    def _work(self, *jobs) -> None:
        for job in jobs:
            assert job is not None
        Worker([self.queue], connection=self.redis).work(burst=True)
        for job in jobs:
            job.refresh()
            assert job.is_finished, job.latest_result().exc_string

    def day(self, day: dt.date, *, night: bool = True) -> Counter:
        """The deadline job just after midnight (London), deliveries then and at the end of
        the day: (template, person) of everything the worker sent that day."""
        slug = self.trust.slug
        if night:
            with frozen(day, hour=0):
                self._work(enqueue("worker.deadlines.run_deadlines", slug, queue=self.queue,
                                   job_id=f"run-deadlines-{slug}-{day}-{self.runs}",
                                   connection=self.redis),
                           self._deliver(f"night-{day}"))
        with frozen(day, hour=23):
            self._work(self._deliver(f"evening-{day}"))
        return self.sent_since()

    def _deliver(self, tag: str):
        self.runs += 1
        tag = f"{tag}-{self.runs}"
        return enqueue("worker.jobs.deliver", self.trust.slug, 0, queue=self.queue,
                       job_id=f"run-deliver-{self.trust.slug}-{tag}", connection=self.redis)

    def sent_since(self) -> Counter:
        with tenant_context(self.trust, self.app):
            rows = db.session.execute(select(
                OutboxMessage.id, OutboxMessage.template_key, OutboxMessage.recipient_email)
                .where(OutboxMessage.status.in_(("sent", "delivered")))).all()
        new = [row for row in rows if row.id not in self.seen]
        self.seen.update(row.id for row in new)
        return Counter((row.template_key, self.who.get(row.recipient_email, "someone else"))
                       for row in new)

    def still_queued(self) -> list[tuple[str, str]]:
        with tenant_context(self.trust, self.app):
            rows = db.session.execute(select(
                OutboxMessage.template_key, OutboxMessage.recipient_email).where(
                OutboxMessage.status == "created")).all()
        return sorted((row.template_key, self.who.get(row.recipient_email, "?"))
                      for row in rows)


NOTHING = Counter()


def arrived(app, trust, cohort_id: int, day: dt.date) -> int:
    application_id = make_application(app, trust, cohort_id, stage="eligibility_checked")
    with tenant_context(trust, app):
        db.session.get(Application, application_id).submitted_at = london(day, 10)
        db.session.commit()
    return application_id


def move(app, trust, application_id: int, stage: str, actor: str = COORDINATOR):
    on_application(app, trust, application_id, lambda s, a: applications.transition(
        s, a, stage, actor=actor))


def waiting_words(app, trust) -> dict[int, str]:
    with tenant_context(trust, app):
        return {row.application_id: row.in_words for row in responses.awaiting(db.session)}


def test_a_cohort_runs_from_the_window_to_the_12_month_follow_up_on_a_real_worker(app):
    trust = onboard_trust(app, "run", "Calendar Run NHS Trust")
    staff = {make_coordinator(app, trust, "lead")[1]: "lead",
             make_coordinator(app, trust, "coordinator")[1]: "coordinator"}
    make_coordinator(app, trust, "panel")  # panel members are not chased
    cohort_id = calendar_cohort(app, trust, "The run", capacity=1)
    # Window 4-29 January 2027. P and Q arrive on Monday 4 January (respond by Monday 18th),
    # R on Wednesday 6 January (by Wednesday 20th).
    p = arrived(app, trust, cohort_id, D(2027, 1, 4))
    q = arrived(app, trust, cohort_id, D(2027, 1, 4))
    r = arrived(app, trust, cohort_id, D(2027, 1, 6))
    run = Run(app, trust, {p: "P", q: "Q", r: "R"}, staff)
    chased = Counter({("eoi_response_chaser", "lead"): 1,
                      ("eoi_response_chaser", "coordinator"): 1})

    # --- Respond to every EOI: chased the working day before, overdue after ---------------
    with frozen(D(2027, 1, 12)):
        on_application(app, trust, q, lambda s, a: responses.record_response(
            s, a, "phone", actor=COORDINATOR))
    assert run.day(D(2027, 1, 14)) == NOTHING
    assert run.day(D(2027, 1, 15)) == chased  # Friday, for P (due Monday); Q was answered
    assert run.day(D(2027, 1, 16)) == NOTHING
    assert run.day(D(2027, 1, 18)) == NOTHING
    with frozen(D(2027, 1, 18), hour=12):
        assert waiting_words(app, trust) == {p: "due today", r: "due in 2 days"}
    assert run.day(D(2027, 1, 19)) == chased  # for R, due Wednesday
    with frozen(D(2027, 1, 19), hour=12):
        assert waiting_words(app, trust) == {p: "1 day overdue", r: "due tomorrow"}
        on_application(app, trust, p, lambda s, a: responses.record_response(
            s, a, "email", actor=COORDINATOR))
    with frozen(D(2027, 1, 20), hour=12):
        on_application(app, trust, r, lambda s, a: responses.record_response(
            s, a, "letter", actor=COORDINATOR))
        assert waiting_words(app, trust) == {}

    # --- Shortlisting opens the day after the window closes -------------------------------
    def finalise(s):
        return shortlisting.finalise(s, s.get(Cohort, cohort_id), {
            p: "shortlist", q: "not_shortlisted", r: "shortlist"}, reasons={}, actor=COORDINATOR)

    with frozen(D(2027, 1, 29)), pytest.raises(gates.TooEarly):
        act(app, trust, finalise)
    with frozen(D(2027, 2, 1)):
        act(app, trust, finalise)
    assert run.day(D(2027, 2, 1), night=False) == Counter({("outcome_not_shortlisted", "Q"): 1})

    # --- Invitations: a reminder the working day before, a lapse the day after -----------
    with tenant_context(trust, app):
        cohort = db.session.get(Cohort, cohort_id)
        assert "outside interview week" in gates.interview_slot_warning(cohort, D(2027, 2, 8))
        assert gates.interview_slot_warning(cohort, D(2027, 2, 16)) is None
    with frozen(D(2027, 2, 8)):  # reply by Monday 15 February
        move(app, trust, p, "interview_invited")
        move(app, trust, r, "interview_invited")
    assert run.day(D(2027, 2, 8), night=False) == Counter({("interview_invitation", "P"): 1,
                                                          ("interview_invitation", "R"): 1})
    with frozen(D(2027, 2, 10)):
        move(app, trust, p, "interview_booked")
    assert run.day(D(2027, 2, 11)) == NOTHING
    assert run.day(D(2027, 2, 12)) == Counter({("reply_by_reminder", "R"): 1})  # Friday
    assert run.day(D(2027, 2, 15)) == NOTHING  # R's reply-by date: not lapsed yet
    with frozen(D(2027, 2, 15), hour=14):
        move(app, trust, p, "interviewed")
    assert run.day(D(2027, 2, 16)) == Counter({("reply_by_lapsed", "R"): 1})
    with tenant_context(trust, app):
        assert db.session.get(Application, r).stage == "withdrawn"

    # --- The offer, accepted: its reminder is taken back; training days are reminded ------
    with frozen(D(2027, 2, 16), hour=11):  # reply by Tuesday 23 February
        on_application(app, trust, p, lambda s, a: training.offer_place(s, a, actor=COORDINATOR))
    assert run.day(D(2027, 2, 16), night=False) == Counter({("place_offer", "P"): 1})
    with frozen(D(2027, 2, 18)):
        on_application(app, trust, p, lambda s, a: training.accept(s, a, actor="applicant:p"))
    with frozen(D(2027, 2, 19)):  # the checks on the place come back met (tenants.conditions)
        act(app, trust, lambda s: [conditions.record_status(s, row, "met", actor=COORDINATOR)
                                   for row in conditions.of_place(s, p)])
    assert run.day(D(2027, 2, 22)) == NOTHING and run.day(D(2027, 2, 24)) == NOTHING
    with frozen(D(2027, 2, 26)), pytest.raises(gates.TooEarly):
        act(app, trust, lambda s: training.start_training(s, cohort_id, actor=COORDINATOR))
    day_ids = act(app, trust, lambda s: [d.id for d in s.get(Cohort, cohort_id).days])
    for when, day_id in zip(TRAINING_DAYS, day_ids, strict=True):
        assert run.day(when - dt.timedelta(days=2), night=False) == NOTHING
        assert run.day(when - dt.timedelta(days=1), night=False) == \
            Counter({("training_day_reminder", "P"): 1})
        if when == TRAINING_DAYS[0]:
            with frozen(when):
                act(app, trust, lambda s: training.start_training(
                    s, cohort_id, actor=COORDINATOR))
        with frozen(when - dt.timedelta(days=1)), pytest.raises(gates.TooEarly):
            act(app, trust, lambda s, day_id=day_id: training.mark_attendance(
                s, s.get(TrainingDay, day_id), {p: "present"}, actor=COORDINATOR))
        with frozen(when, hour=16):
            act(app, trust, lambda s, day_id=day_id: training.mark_attendance(
                s, s.get(TrainingDay, day_id), {p: "present"}, actor=COORDINATOR))

    # --- Completion and follow-ups, counted from the last training day (15 March) ---------
    with frozen(D(2027, 3, 14)), pytest.raises(gates.TooEarly):
        on_application(app, trust, p, lambda s, a: training.complete(s, a, actor=COORDINATOR))
    with frozen(D(2027, 3, 19)):
        on_application(app, trust, p, lambda s, a: training.complete(s, a, actor=COORDINATOR))
    follow_up = Counter({("follow_up", "P"): 1})
    follow_up_reminder = Counter({("follow_up_reminder", "P"): 1})
    for due in (D(2027, 6, 15), D(2027, 9, 15), D(2028, 3, 15)):
        assert run.day(due - dt.timedelta(days=1), night=False) == NOTHING
        assert run.day(due, night=False) == follow_up
        if due.year == 2027:  # unanswered: one reminder, two weeks on
            assert run.day(due + dt.timedelta(days=13), night=False) == NOTHING
            assert run.day(due + dt.timedelta(days=14), night=False) == follow_up_reminder

    # --- The outcome: the 12-month follow-up answered, its reminder never sent ------------
    with frozen(D(2028, 3, 16)):
        on_application(app, trust, p, lambda s, a: training.record_outcome(
            s, a, kind="paid_psw_post", detail=None, actor=COORDINATOR))
    assert run.day(D(2028, 3, 29)) == NOTHING
    assert run.still_queued() == [], "nothing is waiting to reach anyone"
