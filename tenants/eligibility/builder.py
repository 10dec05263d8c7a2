"""The question builder: a trust's EOI pages edited as a draft while the live version serves.

A draft is the newest version when it is newer than the live (published) one. Unlike a live
version, a draft may change in place; every change is checked whole (questions, branches and
rules together) before it is kept, so a refused change loses nothing already saved.
Making a draft live publishes it; each application keeps the id of the version it answered.
"""

from __future__ import annotations

import copy
import re

from tenants.audit.service import record
from tenants.eligibility import service
from tenants.eligibility.models import EligibilityVersion
from tenants.eligibility.routing import END
from tenants.eligibility.rules import InvalidRuleSet
from tenants.eligibility.validation import CHOICE_TYPES, MAX_DEPTH

TYPE_WORDS = {"short_text": "Short answer", "long_text": "Long answer",
              "single_choice": "One choice", "multiple_choice": "Several choices",
              "yes_no": "Yes or no", "date": "Date", "number": "Number", "email": "Email address",
              "phone": "Phone number", "address": "Address",
              "guidance": "Guidance page", "exit": "Exit page"}
NONE_OF_THESE = {"value": "none_of_these", "label": "None of these"}


class BuilderRefused(ValueError):
    """A change the builder will not keep; ``problems`` are field -> plain-words message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def draft(session) -> EligibilityVersion | None:
    latest, live = service.latest_version(session), service.published_version(session)
    if latest is None or latest.is_published or (live and live.number > latest.number):
        return None
    return latest


def start_draft(session, *, created_by_id: int | None = None) -> EligibilityVersion:
    """The draft, begun as a copy of the live version when there is none."""
    existing = draft(session)
    if existing is not None:
        return existing
    live = service.published_version(session)
    return service.save_version(session, copy.deepcopy(live.questions if live else []),
                                copy.deepcopy(live.rule_set if live else {"rules": []}),
                                note="Draft", created_by_id=created_by_id)


def save_draft(session, version: EligibilityVersion, pages: list, rule_set: dict) -> None:
    """Keep a changed draft, or raise BuilderRefused and leave it as it was."""
    problems = service.configuration_problems(pages, rule_set)
    if problems:
        raise BuilderRefused({"form": plain(problems[0], pages)})
    version.questions, version.rule_set = pages, rule_set
    session.flush()
    record("eligibility.draft_changed", "eligibility_version", version.id,
           detail={"number": version.number, "pages": len(pages)}, session=session)


def plain(problem: str, pages: list) -> str:
    """A validator's message with its place (questions[2]) named by the page's title."""
    match = re.match(r"questions\[(\d+)\][^:]*: (.*)", problem)
    if match and int(match[1]) < len(pages):
        return f"'{pages[int(match[1])].get('label')}': {match[2]}"
    if problem.startswith("rules["):
        return "A rule " + problem.split(": ", 1)[-1]
    return problem


def discard(session, version: EligibilityVersion) -> None:
    record("eligibility.draft_discarded", "eligibility_version", version.id,
           detail={"number": version.number}, session=session)
    session.delete(version)
    session.flush()


def slug(text: str, taken, fallback: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or fallback
    base = base if base[0].isalpha() else f"{fallback}_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _labels_from_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _refuse_repeats(labels: list[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        if label.casefold() in seen:
            raise BuilderRefused({"options": f"'{label}' is listed more than once: list each "
                                             "option once"})
        seen.add(label.casefold())


def options_from_lines(text: str, none_of_these: bool, kept: list[dict] | None = None,
                       retired: set[str] | frozenset = frozenset()) -> list[dict]:
    """Options typed one per line, after ``kept`` (options edited in place, keeping their
    values); refuses none at all and the same option twice. A new option never takes the
    value of a kept or ``retired`` (removed) one, so a value always means one answer."""
    kept = kept or []
    labels = _labels_from_lines(text)
    _refuse_repeats([o["label"] for o in kept] + labels)
    if not kept and not labels:
        raise BuilderRefused({"options": "Enter at least one option, one per line"})
    options, taken = list(kept), {o["value"] for o in kept} | set(retired)
    for i, label in enumerate(labels, len(kept) + 1):
        value = slug(label, taken, f"option_{i}")
        taken.add(value)
        options.append({"value": value, "label": label})
    if none_of_these and NONE_OF_THESE["value"] not in taken:
        options.append(dict(NONE_OF_THESE))
    return options


def own_options(page: dict | None) -> list[dict]:
    """A choice page's options as the coordinator typed them (without "None of these")."""
    return [o for o in (page or {}).get("options") or ()
            if o["value"] != NONE_OF_THESE["value"]]


def edited_options(data: dict, editing: dict, rule_set: dict) -> list[dict]:
    """The options of an edited choice page: each existing one keeps its value with its new
    wording (``data["existing"]``: value -> words) unless removed (``data["removed"]``), then
    any typed as new. Removing an option a rule refers to is refused, naming the rule."""
    removed = set(data.get("removed") or ())
    used = options_used_by_rules(rule_set, editing["key"])
    for option in own_options(editing):
        if option["value"] in removed and option["value"] in used:
            raise BuilderRefused({"existing-options": (
                f"'{option['label']}' is used by the rule '{used[option['value']]}': change "
                "or remove that rule first")})
    kept = []
    for n, option in enumerate(own_options(editing), 1):
        if option["value"] in removed:
            continue
        words = (data.get("existing") or {}).get(option["value"], option["label"])
        if not (words or "").strip():
            raise BuilderRefused({"existing-options": f"Enter the words for option {n}, or "
                                                      "tick to remove it"})
        kept.append({**option, "label": words.strip()})
    retired = {o["value"] for o in own_options(editing)}
    return options_from_lines(data.get("options"), data.get("none_of_these"), kept, retired)


def options_used_by_rules(rule_set: dict, key: str) -> dict[str, str]:
    """option value of question ``key`` -> the reason of the (first) rule that refers to it."""
    used: dict[str, str] = {}
    definitions = (rule_set or {}).get("definitions") or {}

    def walk(node, reason: str, depth: int = 0) -> None:
        if not isinstance(node, dict) or depth > 2 * MAX_DEPTH:
            return
        for tag in ("all", "any"):
            for child in node.get(tag) or () if isinstance(node.get(tag), list) else ():
                walk(child, reason, depth + 1)
        walk(node.get("not"), reason, depth + 1)
        if isinstance(node.get("ref"), str):
            walk(definitions.get(node["ref"]), reason, depth + 1)
        if node.get("answer") == key:
            for test in ("equals", "in", "includes_any", "includes_all", "of"):
                values = node.get(test)
                for value in values if isinstance(values, list) else [values]:
                    if isinstance(value, str):
                        used.setdefault(value, reason)

    for rule in (rule_set or {}).get("rules") or ():
        walk(rule.get("when"), rule.get("reason") or rule.get("key"))
    return used


def page_from_form(data: dict, pages: list, editing: dict | None,
                   rule_set: dict | None = None) -> dict:
    """A page dict from the builder's form (already loaded by PageSchema). An edited choice
    page keeps its options' values (``edited_options``), so answers and rules keep meaning."""
    kind = data["type"]
    taken = {p["key"] for p in pages} - ({editing["key"]} if editing else set())
    key = editing["key"] if editing else slug(data["label"], taken, "page")
    if kind in ("guidance", "exit"):
        if not data.get("body"):
            raise BuilderRefused({"body": "Enter the words for this page"})
        return {"key": key, "type": kind, "label": data["label"], "body": data["body"]}
    page = {"key": key, "type": kind, "label": data["label"], "required": data["required"]}
    if data.get("hint"):
        page["hint"] = data["hint"]
    if kind in CHOICE_TYPES and editing and editing.get("type") in CHOICE_TYPES:
        page["options"] = edited_options(data, editing, rule_set or {})
    elif kind in CHOICE_TYPES:
        page["options"] = options_from_lines(data.get("options"), data.get("none_of_these"))
    if kind == "single_choice" and editing and editing.get("routes"):
        values = {o["value"] for o in page["options"]}
        kept = {v: t for v, t in editing["routes"].items() if v in values}
        if kept:
            page["routes"] = kept
    return page


def with_page(pages: list, page: dict) -> list:
    keys = [p["key"] for p in pages]
    if page["key"] in keys:
        return [page if p["key"] == page["key"] else p for p in pages]
    return [*pages, page]


def moved(pages: list, key: str, step: int) -> list:
    pages = list(pages)
    i = [p["key"] for p in pages].index(key)
    j = i + step
    if 0 <= j < len(pages):
        pages[i], pages[j] = pages[j], pages[i]
    return pages


def without(pages: list, key: str) -> list:
    return [p for p in pages if p["key"] != key]


def with_routes(pages: list, key: str, routes: dict[str, str]) -> list:
    """The page's branches replaced: option value -> page key or END ('' = next page)."""
    page = dict(next(p for p in pages if p["key"] == key))
    chosen = {value: target for value, target in routes.items() if target}
    if chosen:
        page["routes"] = chosen
    else:
        page.pop("routes", None)
    return with_page(pages, page)


def route_targets(pages: list, key: str) -> list[tuple[str, str]]:
    """(value, words) a branch from ``key`` may go to: later pages, exit pages, the end."""
    position = [p["key"] for p in pages].index(key)
    targets = [("", "The next page")]
    targets += [(p["key"], f"{TYPE_WORDS[p['type']]}: {p['label']}")
                for i, p in enumerate(pages) if i > position or p["type"] == "exit"]
    return [*targets, (END, "Skip to the end of the questions")]


def make_live(session, version: EligibilityVersion, checklist: list[dict]) -> None:
    missing = [item["label"] for item in checklist if not item["done"]]
    if missing:
        raise BuilderRefused({"checklist": f"Before going live: {missing[0].lower()}"})
    try:
        service.publish(session, version)
    except InvalidRuleSet as invalid:  # pragma: no cover - drafts are checked on every save
        raise BuilderRefused({"form": invalid.problems[0]}) from invalid
