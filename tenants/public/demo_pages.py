"""The demo trusts' own pages, from their public pages in shared/seeds: the blocks, the
earlier cohorts that stay on the page, and Norfolk and Suffolk's case study.

Written once, when a demo trust is first configured. The postal address is an example,
not the trust's real one. Dates follow the day the seed runs (see tenants.public.demo).
"""

from __future__ import annotations

import datetime as dt

from tenants.cohorts import service as cohorts
from tenants.cohorts.models import Course
from tenants.trustpage import service as trust_page

DEMO_ACTOR = "demo"
LPT_POSTAL_ADDRESS = "Peer Support Worker Programme\nExample House\n1 Example Road\n" \
                     "Leicester\nLE1 1AA"


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(0 - first.weekday()) % 7)


def _past_cohort(session, course: Course, name: str, starts: dt.date, places: int) -> None:
    """An earlier run of the programme, kept on the page as its history."""
    closes = starts - dt.timedelta(weeks=3)
    cohorts.save_cohort(session, {
        "course_id": course.id, "name": name, "capacity": places,
        "eoi_opens_on": closes - dt.timedelta(weeks=6), "eoi_closes_on": closes,
        "starts_on": starts})


def page_leicestershire(session, course: Course, today: dt.date) -> None:
    june = today.year if today.month > 6 else today.year - 1  # the last June that has passed
    _past_cohort(session, course, f"June {june} cohort", _first_monday(june, 6), 12)
    trust_page.save_page(session, {
        "about": "Leicestershire Partnership NHS Trust (LPT) is recruiting people with "
                 "experience of mental health issues as peer support workers. There will be "
                 "a peer support worker for each community mental health team, and further "
                 "roles in other LPT mental health services.\n\nThe training is free to "
                 "people who express an interest and meet the criteria.",
        "who_for": "People who have experienced mental health challenges, usually with "
                   "support from secondary mental health services (for example a community "
                   "mental health team, a consultant psychiatrist, or a CPN or social "
                   "worker), and who want to use that experience to support others.",
        "after_applying": "All received EOI forms will be responded to: everyone who "
                          "sends an expression of interest gets a reply within 10 working "
                          "days. If "
                          "you meet the criteria, we invite you to a one-to-one informal "
                          "interview: a chance to talk about your circumstances. If all the "
                          "criteria are met after it, you will be invited to the course.",
        "postal_address": LPT_POSTAL_ADDRESS, "places_limited": True,
        "course_is_free": True, "disability_confident": True,
        "contact_role": "Community Development Leader"}, DEMO_ACTOR)


def set_postal_deadline(session, deadline: dt.date) -> None:
    """Paper forms are due when the online window closes."""
    trust_page.save_page(session, {"postal_deadline": deadline}, DEMO_ACTOR)


CASE_STUDY = (
    "I've had recurring depression for most of my adult life, and I had to take long-term "
    "sickness leave several times while I was working as a primary school teacher. My "
    "family have been my rock, and the crisis team kept me out of hospital.\n\n"
    "My GP was quick to get help from the Community Mental Health Team. My care "
    "coordinator and my clinical psychologist have both been brilliant: without them I "
    "wouldn't be where I am now.\n\n"
    "When the chance came to train as a Peer Support Worker, I felt ready. I enjoyed "
    "meeting like-minded people on the course, and what I learnt helped me make sense of "
    "my own recovery. Now that I've qualified, I'm looking forward to working in the Trust "
    "and making a difference to the lives of others.")


def page_norfolk_suffolk(session, course: Course, today: dt.date) -> None:
    # The second programme starts in November (tenants.public.demo): the first ran a year
    # before it.
    year = today.year if today < dt.date(today.year, 8, 1) else today.year + 1
    _past_cohort(session, course, f"November {year - 1} cohort",
                 _first_monday(year - 1, 11), 16)
    trust_page.save_page(session, {
        "about": "Norfolk and Suffolk NHS Foundation Trust is recruiting Peer Support Workers "
                 "in its mental health services, and is preparing for its second Peer "
                 "Support Worker training programme, starting in November.\n\nPeer support "
                 "workers use their own experience to help others, and often find it builds "
                 "their own confidence and recovery too.",
        "who_for": "People who have lived with mental health problems and want to use "
                   "their experience to help others. You need to complete a Peer Support "
                   "Worker training course to apply for a Peer Support Worker post.",
        "after_applying": "We shortlist in the week starting 13 October (this year's dates "
                          "are under Key dates), and invite successful applicants to an "
                          "interview two weeks later. Jobs for people who finish the course "
                          "will be advertised early next year.",
        "places_limited": False, "course_is_free": True, "disability_confident": True,
        "contact_role": "Peer Support Worker course coordinator"}, DEMO_ACTOR)
    trust_page.add_story(session, {
        "role_title": "A former primary school teacher, now a qualified Peer Support Worker",
        "body": CASE_STUDY, "consent_given_on": today - dt.timedelta(days=30)}, DEMO_ACTOR)
