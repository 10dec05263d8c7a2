"""The reports as tables: each is a title, column headings and rows of words and numbers,
so the page, its charts and its CSV download all show the same figures. The reasons by
stage and equality monitoring (suppressed by the one rule in
tenants.applications.equality) are in tenants.reports.breakdowns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tenants.applications.models import CHANNELS, HEARD_VIA
from tenants.reports import breakdowns, queries
from tenants.reports.tables import Table, rate
from tenants.training.models import FOLLOW_UP_MONTHS
from tenants.training.service import OUTCOME_LABELS

FUNNEL = (("drop_in", "Came to a drop-in"), ("eoi_submitted", "Sent an EOI"),
          ("eligibility_checked", "Eligible"), ("shortlisted", "Shortlisted"),
          ("interviewed", "Interviewed"), ("place_offered", "Offered a place"),
          ("in_training", "Started training"), ("completed", "Completed"),
          ("placed", "Placed in a post"))
CHANNEL_LABELS = {"online": "Online", "paper": "Paper form", "email": "By e-mail",
                  "phone": "By phone"}
# Short names of tenants.applications.schemas.HEARD_VIA_CHOICES for tables and charts.
HEARD_VIA_LABELS = {"drop_in": "Drop-in session", "recovery_college": "Recovery College",
                    "care_team": "Care team or care coordinator",
                    "poster_leaflet": "Poster or leaflet", "social_media": "Social media",
                    "nhs_website": "NHS or trust website", "friend_family": "Friend or family",
                    "other": "Somewhere else", "": "Not answered"}


def _funnel_counts(reached, placed, drop_ins, key) -> dict:
    """Counts per stage for each group `key(cohort id, channel, where heard)` makes (drop-in
    attendance is known per cohort only, so it counts where `key` keeps no more)."""
    counts: dict = defaultdict(lambda: defaultdict(int))
    for cohort_id, channel, heard_via, stage, count in reached:
        counts[key(cohort_id, channel, heard_via)][stage] += count
    for cohort_id, channel, heard_via, count in placed:
        counts[key(cohort_id, channel, heard_via)]["placed"] += count
    for cohort_id, count in drop_ins:
        if key(cohort_id, None, None) is not None:
            counts[key(cohort_id, None, None)]["drop_in"] += count
    return counts


def _funnel_row(label: str, counts: dict, stages=FUNNEL) -> list:
    row, previous = [label], None
    for stage, _ in stages:
        value = counts.get(stage, 0)
        row.append(value if previous is None else f"{value} ({rate(value, previous)})")
        previous = value
    return row


def funnel_tables(session) -> list[Table]:
    cohorts = queries.cohorts(session)
    reached, placed = queries.reached(session), queries.placed(session)
    drop_ins = queries.drop_in_attendees(session)
    headers = ["Group"] + [label for _, label in FUNNEL]
    by_cohort = _funnel_counts(reached, placed, drop_ins, lambda cohort, _ch, _heard: cohort)
    by_channel = _funnel_counts(reached, placed, [], lambda _cohort, channel, _heard: channel)
    by_heard = _funnel_counts(reached, placed, [], lambda _cohort, _ch, heard: heard or "")
    everyone = _funnel_counts(reached, placed, drop_ins, lambda *_: "all")["all"]
    cohort_table = Table(
        "funnel", "Funnel by cohort", headers,
        [_funnel_row(c.name, by_cohort.get(c.id, {})) for c in cohorts]
        + [_funnel_row("All cohorts", everyone)],
        chart=[(label, everyone.get(stage, 0)) for stage, label in FUNNEL],
        note="Each figure counts the people who ever reached the stage; the percentage is "
             "of the stage before. Drop-ins count the people who came to one while the "
             "cohort's EOIs were open.")
    channel_table = Table(
        "channels", "Funnel by how the EOI was sent", headers[:1] + headers[2:],
        [_funnel_row(CHANNEL_LABELS[ch], by_channel[ch], FUNNEL[1:]) for ch in CHANNELS
         if by_channel.get(ch)],
        chart=[(CHANNEL_LABELS[ch], by_channel.get(ch, {}).get("eoi_submitted", 0))
               for ch in CHANNELS if by_channel.get(ch)])
    compare = Table(
        "cohorts", "Cohort against cohort",
        ["Cohort", "EOIs", "Started training", "Completed", "Completion rate", "Placed",
         "Placed of those completed"],
        chart=[(c.name, by_cohort.get(c.id, {}).get("placed", 0)) for c in cohorts])
    for c in cohorts:
        n = by_cohort.get(c.id, {})
        started, done, placed_count = (n.get(k, 0) for k in ("in_training", "completed",
                                                              "placed"))
        compare.rows.append([c.name, n.get("eoi_submitted", 0), started, done,
                             rate(done, started), placed_count,
                             f"{placed_count} of {done} ({rate(placed_count, done)})"])
    return [cohort_table, channel_table, heard_table(by_heard, headers), compare]


def heard_table(by_heard: dict, headers: list[str]) -> Table:
    """The funnel by where applicants heard of the programme, from the EOI on."""
    sources = [key for key in (*HEARD_VIA, "") if by_heard.get(key, {}).get("eoi_submitted")]
    table = Table(
        "heard", "Funnel by where applicants heard of the programme",
        ["Where they heard", *headers[2:], "Placed of those who sent an EOI"],
        chart=[(HEARD_VIA_LABELS[key], by_heard[key]["eoi_submitted"]) for key in sources],
        note="Applicants say where they first heard of the training when they send their "
             "EOI (coordinators ask it for paper and phone EOIs); someone marked as having "
             "come to a drop-in who did not say is counted under drop-in sessions. The "
             "chart shows the EOIs from each; the last column is the conversion from EOI "
             "to a post.")
    for key in sources:
        counts = by_heard[key]
        table.rows.append([*_funnel_row(HEARD_VIA_LABELS[key], counts, FUNNEL[1:]),
                           rate(counts.get("placed", 0), counts["eoi_submitted"])])
    return table


def _days(value) -> str:
    return "" if value is None else f"{float(value):.1f}"


def decision_table(session) -> Table:
    names = {c.id: c.name for c in queries.cohorts(session)}
    rows = sorted(queries.days_to_decision(session), key=lambda r: list(names).index(r[0]))
    return Table("decisions", "Days from EOI to a decision",
                 ["Cohort", "Decided", "Median days", "Longest days"],
                 [[names[cohort_id], decided, _days(median), _days(longest)]
                  for cohort_id, decided, median, longest in rows],
                 chart=[(names[r[0]], round(float(r[2] or 0))) for r in rows],
                 note="A decision is the first move on from the EOI: shortlisted, not "
                      "shortlisted, not eligible or the waiting list.")


def outcomes_table(session, today: dt.date | None = None) -> Table:
    found = defaultdict(int)
    for months, kind, count in queries.follow_up_outcomes(session, today or dt.date.today()):
        found[(months, kind)] += count
    kinds = [*OUTCOME_LABELS, None]
    table = Table("outcomes", "Outcomes at the 3, 6 and 12-month follow-ups",
                  ["Outcome", *(f"{m} months" for m in FOLLOW_UP_MONTHS)],
                  note="Follow-ups that are due. Outcomes recorded outside a follow-up, "
                       "such as a placement, are in each cohort's outcome history.")
    for kind in kinds:
        values = [found.get((m, kind), 0) for m in FOLLOW_UP_MONTHS]
        if any(values):
            table.rows.append([OUTCOME_LABELS.get(kind, "No answer yet"), *values])
    table.chart = [(f"{m} months answered", sum(found.get((m, k), 0) for k in OUTCOME_LABELS))
                   for m in FOLLOW_UP_MONTHS]
    return table


def all_tables(session, *, with_equality: bool) -> list[Table]:
    """Every report; equality monitoring only for those who may see it (equality:read)."""
    return [*funnel_tables(session), decision_table(session),
            breakdowns.reasons_table(session), outcomes_table(session),
            *([breakdowns.equality_table(session)] if with_equality else [])]
