"""Demo configuration for the two demo trusts, from their public pages in shared/seeds.

Dates are moved to the future relative to the day the seed runs, keeping the gaps the
pages describe: Leicestershire takes applications now and has drop-ins ahead; Norfolk and
Suffolk's window is closed and opens later in the year. Idempotent: the rules and course
are written once; the calendar is added again only when it has gone stale (Leicestershire's
window has closed or its drop-ins are past; Norfolk and Suffolk has no window ahead), so
`make run` on a later day still shows what the demo promises.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tenants.applications import timings
from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Course, TrainingDay
from tenants.eligibility import defaults
from tenants.eligibility import service as eligibility
from tenants.eligibility.models import EligibilityVersion
from tenants.infosessions import service as infosessions
from tenants.public import demo_pages

LPT_SITE = "Wakerley Ward, Evington Centre, Leicester General Site, Gwendolen Road, Leicester, " \
           "LE5 4QG"
DEMO_NOTE = "Demo: from the trust's public page"


def next_weekday(after: dt.date, weekday: int) -> dt.date:
    """The first given weekday (Monday 0) strictly after ``after``."""
    return after + dt.timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


def _course(session, data: dict) -> Course:
    existing = session.scalars(select(Course).order_by(Course.id).limit(1)).first()
    return cohorts.save_course(session, data, existing)


def _days(cohort, pattern: list[tuple[int, int, str, str]]) -> None:
    """(week index, weekday, kind, place) per training day, from the cohort's start week."""
    monday = cohort.starts_on - dt.timedelta(days=cohort.starts_on.weekday())
    for week, weekday, kind, place in pattern:
        on = monday + dt.timedelta(weeks=week, days=weekday)
        cohort.days.append(TrainingDay(on_date=on, starts_at=dt.time(9, 30),
                                       ends_at=dt.time(16, 0), place=place, kind=kind))


def configure_leicestershire(session) -> Course:
    questions, rule_set = defaults.leicestershire_questions_and_rules()
    eligibility.save_version(session, questions, rule_set, note=DEMO_NOTE, publish=True)
    return _course(session, {
        "name": "Peer Support Worker training", "length_weeks": 10, "training_days": 10,
        "format": "mixed", "locations": [LPT_SITE],
        "leads_to": "Paid employment in a peer support worker post within LPT; paid "
                    "employment in other roles within LPT; paid employment with a partner "
                    "organisation; volunteering, for example with the Recovery College",
        "description": "Attendance of the course, work experience and self-directed learning. "
                       "If all criteria are met after a one-to-one informal interview, you "
                       "will be invited to attend the course."})


def calendar_leicestershire(session, course: Course, today: dt.date) -> None:
    """An open window with two drop-ins ahead, unless both are already there."""
    first_drop_in = next_weekday(today + dt.timedelta(days=14), 4)  # a Friday
    second_drop_in = next_weekday(first_drop_in, 1)  # the Tuesday after
    closes = next_weekday(second_drop_in, 0)  # the Monday after that
    if not infosessions.upcoming(session, today):
        for on, ends in ((first_drop_in, dt.time(16)), (second_drop_in, dt.time(12))):
            infosessions.save_session(session, {
                "title": "Drop-in: peer support worker roles and free training", "on_date": on,
                "starts_at": dt.time(8), "ends_at": ends, "place": LPT_SITE, "capacity": None,
                "access_notes": "Come at any time during the session. Ask at reception for "
                                "Wakerley Ward."})
    if cohorts.open_cohort(session, today) is not None:
        return
    cohort = cohorts.save_cohort(session, {
        "course_id": course.id, "name": f"{closes:%B %Y} cohort", "capacity": 12,
        "eoi_opens_on": today - dt.timedelta(days=7), "eoi_closes_on": closes,
        "shortlisting_week_of": next_weekday(closes, 0),
        "interview_week_of": next_weekday(closes + dt.timedelta(days=7), 0),
        "starts_on": next_weekday(closes + dt.timedelta(days=27), 0),
        "posts_advertised": "Towards the end of autumn, one for each community mental "
                            "health team"})
    _days(cohort, [(week, 2, "classroom" if week < 6 else "placement", LPT_SITE)
                   for week in range(10)])
    demo_pages.set_postal_deadline(session, closes)


def seed_leicestershire(session, today: dt.date) -> None:
    course = configure_leicestershire(session)
    demo_pages.page_leicestershire(session, course, today)
    calendar_leicestershire(session, course, today)
    # "All received EOI forms will be responded to": the team's list of EOIs to respond to
    # and its chaser hold the trust to 10 working days (its page says so).
    timings.save(session, {"eoi_response_working_days": 10, "reply_working_days": 5},
                 actor=demo_pages.DEMO_ACTOR)


NSFT_CLASSROOM = "Classroom (venue confirmed with your offer)"


def configure_norfolk_suffolk(session) -> Course:
    questions, rule_set = defaults.norfolk_suffolk_questions_and_rules()
    eligibility.save_version(session, questions, rule_set, note=DEMO_NOTE, publish=True)
    return _course(session, {
        "name": "Peer Support Worker training", "length_weeks": 12, "training_days": 16,
        "format": "mixed", "locations": [],
        "leads_to": "Applying for Peer Support Worker posts in the trust (you need to have "
                    "completed a Peer Support Worker training course to apply)",
        "description": "A free 12-week course of 16 days: a mixture of classroom-based "
                       "learning and work-based placements."})


def calendar_norfolk_suffolk(session, course: Course, today: dt.date) -> None:
    """The November cohort, whose window opens in late summer: closed now, with its date."""
    if cohorts.next_cohort(session, today) is not None:
        return
    year = today.year if today < dt.date(today.year, 8, 1) else today.year + 1
    shortlisting = next_weekday(dt.date(year, 10, 6), 0)  # the second Monday of October
    interviews = shortlisting + dt.timedelta(weeks=2)
    starts = next_weekday(dt.date(year, 10, 31), 0)  # the first Monday of November
    cohort = cohorts.save_cohort(session, {
        "course_id": course.id, "name": f"November {year} cohort", "capacity": 16,
        "eoi_opens_on": shortlisting - dt.timedelta(weeks=6),
        "eoi_closes_on": shortlisting - dt.timedelta(days=3),
        "shortlisting_week_of": shortlisting, "interview_week_of": interviews,
        "starts_on": starts, "posts_advertised": "Early next year"})
    placement = "Work-based placement (arranged with you)"
    _days(cohort, [(week, weekday, "classroom", NSFT_CLASSROOM) for week in range(4)
                   for weekday in (1, 3)]
          + [(week, 2, "placement", placement) for week in range(4, 12)])


def seed_norfolk_suffolk(session, today: dt.date) -> None:
    course = configure_norfolk_suffolk(session)
    demo_pages.page_norfolk_suffolk(session, course, today)
    calendar_norfolk_suffolk(session, course, today)


DEMO_SEEDS = {"leicestershire": seed_leicestershire, "norfolk-suffolk": seed_norfolk_suffolk}
DEMO_CALENDARS = {"leicestershire": calendar_leicestershire,
                  "norfolk-suffolk": calendar_norfolk_suffolk}


def seed_configuration(session, tenant, today: dt.date | None = None) -> None:
    seed = DEMO_SEEDS.get(tenant.slug)
    if seed is None:
        return
    today = today or dt.date.today()
    if session.scalar(select(EligibilityVersion.id).where(
            EligibilityVersion.note == DEMO_NOTE).limit(1)):
        # Seeded on an earlier day: keep everything, and bring the calendar up to today.
        course = session.scalars(select(Course).order_by(Course.id).limit(1)).first()
        if course is not None:
            DEMO_CALENDARS[tenant.slug](session, course, today)
    else:
        seed(session, today)
    session.flush()
