"""Reports that break the decisions down: the reasons given at each stage, per cohort, and
equality monitoring in aggregate, suppressed by the one rule every equality count follows
(tenants.applications.equality.hide_small)."""

from __future__ import annotations

from collections import defaultdict

from tenants.applications import equality
from tenants.applications.schemas import EQUALITY_QUESTIONS
from tenants.reasons.models import KIND_LABELS, KINDS
from tenants.reports import queries
from tenants.reports.tables import Table, rate

COMPLETERS = ("completed", "outcome_recorded")


def reasons_table(session) -> Table:
    """Each reason given, by stage, with a column per cohort that has any and the total."""
    found = queries.reasons(session)
    names = {c.id: c.name for c in queries.cohorts(session)}
    shown_cohorts = [cohort_id for cohort_id in names
                     if any(r.cohort_id == cohort_id for r in found)]
    by_reason: dict = defaultdict(lambda: defaultdict(int))
    labels = {}
    for r in found:
        by_reason[(r.stage, r.key)][r.cohort_id] += r.count
        labels[(r.stage, r.key)] = r.label
    totals = {key: sum(per_cohort.values()) for key, per_cohort in by_reason.items()}
    order = sorted(by_reason, key=lambda k: (KINDS.index(k[0]), -totals[k], labels[k]))
    table = Table(
        "reasons", "Reasons by stage",
        ["Decision", "Reason", *(names[c] for c in shown_cohorts), "All cohorts"],
        chart=[(KIND_LABELS[kind], sum(n for (stage, _), n in totals.items() if stage == kind))
               for kind in KINDS],
        note="The reasons chosen for each decision, from the trust's list of reasons (a "
             "reason whose words were improved counts as one). The chart shows the "
             "decisions at each stage.")
    for key in order:
        table.rows.append([KIND_LABELS[key[0]], labels[key],
                           *(by_reason[key].get(c, 0) for c in shown_cohorts), totals[key]])
    return table


def _suppressed_column(counts: list[int], total: int, hidden: set[int] | None = None):
    """(counts in words, percentages in words) of one question's answers."""
    hidden = equality.hide_small(counts, hidden)
    return ([equality.shown(n, i, hidden) for i, n in enumerate(counts)],
            [equality.shown(n, i, hidden) if i in hidden else rate(n, total)
             for i, n in enumerate(counts)])


def equality_table(session) -> Table:
    """Who applied and who completed, by each answer, for everyone who sent an EOI."""
    everyone = queries.equality_answers(session)
    total_applied = len(everyone)
    total_completed = sum(stage in COMPLETERS for _, stage in everyone)
    table = Table("equality", "Equality monitoring",
                  ["Question", "Answer", "Applied", "Applied (%)", "Completed",
                   "Completed (%)"],
                  note=f"Aggregates only, of the {equality.shown_total(total_applied)} people "
                       f"who sent an EOI. {equality.RULE}")
    for key, question, options in EQUALITY_QUESTIONS:
        choices = equality.answer_options(options)
        applied, completed = defaultdict(int), defaultdict(int)
        for answers, stage in everyone:
            value = equality.answer_of(answers, key)
            applied[value] += 1
            completed[value] += stage in COMPLETERS
        a = [applied[value] for value, _ in choices]
        c = [completed[value] for value, _ in choices]
        a_words, a_rates = _suppressed_column(a, total_applied)
        # Those who applied and did not complete are the difference of two shown counts:
        # where that is small, the completed count is hidden as well.
        a_hidden = equality.hide_small(a)
        differences = {i for i in range(len(a)) if i not in a_hidden
                       and 0 < a[i] - c[i] < equality.SMALL}
        c_words, c_rates = _suppressed_column(c, total_completed, differences)
        for i, (_, label) in enumerate(choices):
            if a[i]:
                table.rows.append([question, label, a_words[i], a_rates[i], c_words[i],
                                   c_rates[i]])
    return table
