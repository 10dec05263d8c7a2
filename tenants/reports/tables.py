"""A report as a table: a title, column headings and rows of words and numbers, so the
page, its chart and its CSV download all show the same figures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field


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


def to_csv(table: Table) -> str:
    """The table as CSV with a UTF-8 byte order mark, so Excel reads it as UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["'" + str(v) if str(v)[:1] in ("=", "+", "-", "@") else v
                         for v in row])
    return "\ufeff" + out.getvalue()
