"""((placeholder)) templates, as GOV.UK Notify writes them: parse, check and render.

Pure functions: no database, no Flask, so the rules are easy to test.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from peerpath.sanitise import clean_email_html

PLACEHOLDER = re.compile(r"\(\(\s*([^()]*?)\s*\)\)")
URL = re.compile(r"https?://[^\s<>()]+[^\s<>().,;:!?'\"]")
LONDON = ZoneInfo("Europe/London")


class UnknownPlaceholder(ValueError):
    def __init__(self, names: list[str]):
        self.names = names
        listed = ", ".join(f"(({n}))" for n in names)
        super().__init__(f"Remove or correct {listed}: this message cannot fill "
                         f"{'it' if len(names) == 1 else 'them'} in")


def placeholders(text: str | None) -> list[str]:
    """Names used in `text`, in order of first use."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def unknown_placeholders(texts, allowed) -> list[str]:
    allowed = set(allowed)
    found: dict[str, None] = {}
    for text in texts:
        for name in placeholders(text):
            if name not in allowed:
                found.setdefault(name, None)
    return list(found)


def check_placeholders(texts, allowed) -> None:
    unknown = unknown_placeholders(texts, allowed)
    if unknown:
        raise UnknownPlaceholder(unknown)


def render_text(text: str | None, values: dict) -> str:
    """Fill each ((name)); a value that is missing is left visible rather than guessed."""
    if text is None:
        return ""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def _paragraph_html(paragraph: str) -> str:
    lines = []
    for line in paragraph.split("\n"):
        parts, last = [], 0
        for match in URL.finditer(line):
            parts.append(escape(line[last:match.start()]))
            url = match.group(0)
            parts.append(Markup('<a href="{0}">{0}</a>').format(url))
            last = match.end()
        parts.append(escape(line[last:]))
        lines.append(Markup("").join(parts))
    return f"<p>{Markup('<br>').join(lines)}</p>"


def text_to_html(text: str) -> str:
    """Plain text to simple, accessible HTML: paragraphs, line breaks, links."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n".join(_paragraph_html(p) for p in paragraphs)


def render_html(html_template: str | None, text_template: str, values: dict) -> str:
    """The HTML body: the template's own HTML, sanitised, with escaped values, else built
    from the text. Sanitised here too, so wording saved before the sanitiser is cleaned."""
    if html_template:
        safe = {k: escape(str(v)) for k, v in values.items()}
        return render_text(clean_email_html(html_template), safe)
    return text_to_html(render_text(text_template, values))


def wrap_html(body: str, title: str) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title></head>"
            "<body style=\"font-family: Arial, sans-serif; font-size: 19px; line-height: 1.5\">"
            f"{body}</body></html>")


def after_quiet_hours(moment: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime:
    """The first time at or after `moment` outside quiet hours [start, end) in UK time.

    Quiet hours may run past midnight (21:00 to 08:00). `moment` must be timezone-aware.
    """
    if start == end:
        return moment
    local = moment.astimezone(LONDON)
    clock = local.time()
    overnight = start > end
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return moment
    day = local.date()
    if overnight and clock >= start:
        day += dt.timedelta(days=1)
    resume = dt.datetime.combine(day, end, tzinfo=LONDON)
    return resume.astimezone(moment.tzinfo)
