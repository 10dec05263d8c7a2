"""The reports as tables: each is a title, column headings and rows of words and numbers,
so the page, its charts and its CSV download all show the same figures.

Equality monitoring is reported in aggregate only, never beside a person, and a count from
1 to 4 is shown as "fewer than 5" (with its percentage), so nobody can be picked out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from tenants.applications.models import CHANNELS
from tenants.applications.schemas import EQUALITY_QUESTIONS
from tenants.reports import queries
from tenants.training.models import FOLLOW_UP_MONTHS
from tenants.training.service import OUTCOME_LABELS

FUNNEL = (("drop_in", "Came to a drop-in"), ("eoi_submitted", "Sent an EOI"),
          ("eligibility_checked", "Eligible"), ("shortlisted", "Shortlisted"),
          ("interviewed", "Interviewed"), ("place_offered", "Offered a place"),
          ("in_training", "Started training"), ("completed", "Completed"),
          ("placed", "Placed in a post"))
CHANNEL_LABELS = {"online": "Online", "paper": "Paper form", "email": "By e-mail",
                  "phone": "By phone"}
SMALL = 5  # counts below this (and above 0) are suppressed in equality monitoring
FEWER_THAN_5 = "fewer than 5"
COMPLETERS = ("completed", "outcome_recorded")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # (label, value) pairs for the chart beside the table, when it has one.
    chart: list[tuple[str, int]] = field(default_factory=list)
    note: str | None = None


def rate(part: int | None, whole: int | None) -> str:
    """A conversion rate in words: "45%", or "n/a" when nothing came before."""
    if not whole or part is None:
        return "n/a"
    return f"{round(100 * part / whole)}%"


def _funnel_counts(reached, placed, drop_ins, key) -> dict:
    counts: dict = defaultdict(lambda: defaultdict(int))
    for cohort_id, channel, stage, count in reached:
        counts[key(cohort_id, channel)][stage] += count
    for cohort_id, channel, count in placed:
        counts[key(cohort_id, channel)]["placed"] += count
    for cohort_id, count in drop_ins:
        if key(cohort_id, None) is not None:
            counts[key(cohort_id, None)]["drop_in"] += count
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
    by_cohort = _funnel_counts(reached, placed, drop_ins, lambda cohort, _channel: cohort)
    by_channel = _funnel_counts(reached, placed, [], lambda _cohort, channel: channel)
    everyone = _funnel_counts(reached, placed, drop_ins, lambda _cohort, _channel: "all")["all"]
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
    return [cohort_table, channel_table, compare]


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


def suppressed(count: int, total: int) -> tuple[str, str]:
    """(count, percentage) in words, with 1 to 4 shown as "fewer than 5"."""
    if 0 < count < SMALL:
        return FEWER_THAN_5, FEWER_THAN_5
    return str(count), rate(count, total)


def equality_table(session) -> Table:
    applied, completed = defaultdict(int), defaultdict(int)
    total_applied = total_completed = 0
    for answers, stage in queries.equality_answers(session):
        done = stage in COMPLETERS
        total_applied += 1
        total_completed += done
        for key, _, _options in EQUALITY_QUESTIONS:
            value = (answers or {}).get(key) or "not_answered"
            applied[(key, value)] += 1
            completed[(key, value)] += done
    table = Table("equality", "Equality monitoring",
                  ["Question", "Answer", "Applied", "Applied (%)", "Completed",
                   "Completed (%)"],
                  note=f"Aggregates only. Counts from 1 to 4 are shown as \"{FEWER_THAN_5}\" "
                       f"so that nobody can be identified. {total_applied} people answered.")
    for key, question, options in EQUALITY_QUESTIONS:
        for value, label in (*options, ("not_answered", "Not answered")):
            a, c = applied.get((key, value), 0), completed.get((key, value), 0)
            if a:
                table.rows.append([question, label, *suppressed(a, total_applied),
                                   *suppressed(c, total_completed)])
    return table


def all_tables(session) -> list[Table]:
    return [*funnel_tables(session), decision_table(session), outcomes_table(session),
            equality_table(session)]


def to_csv(table: Table) -> str:
    """The table as CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["'" + str(v) if str(v)[:1] in ("=", "+", "-", "@") else v
                         for v in row])
    return "\ufeff" + out.getvalue()
