"""A small server-rendered SVG bar chart (no script, no inline styles: CSP allows it)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

BAR_WIDTH, GAP, HEIGHT = 10, 3, 32
COLOUR = "#005eb8"  # NHS blue
EMPTY = "#d8dde0"  # NHS grey 4: a week with none still shows where it is


def weekly_bars(weekly: list[tuple[dt.date, int]], label: str) -> Markup:
    """Applications per week as bars, with a text alternative for screen readers."""
    if not weekly:
        return Markup("")
    peak = max(n for _w, n in weekly) or 1
    width = len(weekly) * (BAR_WIDTH + GAP) - GAP
    summary = ", ".join(f"week of {w:%-d %b}: {n}" for w, n in weekly)
    bars = []
    for index, (week, count) in enumerate(weekly):
        height = max(2, round(HEIGHT * count / peak)) if count else 2
        bars.append(
            f'<rect x="{index * (BAR_WIDTH + GAP)}" y="{HEIGHT - height}" width="{BAR_WIDTH}" '
            f'height="{height}" fill="{COLOUR if count else EMPTY}">'
            f"<title>Week of {week:%-d %B}: {count}</title></rect>")
    return Markup(  # noqa: S704 - numbers and dates only; the label is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" aria-label="{escape(label)}: '
        f'{escape(summary)}" focusable="false">{"".join(bars)}</svg>')
