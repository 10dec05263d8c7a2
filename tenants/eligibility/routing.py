"""The order an applicant meets a trust's EOI pages in: branches, guidance and exit pages.

A form is the list of question dicts kept in an eligibility version (see ``rules.py``),
with two kinds of page that ask nothing: ``guidance`` (words between questions) and ``exit``
(a kind page that ends the form, met only through a branch). A one-choice question may
branch: ``"routes": {"option_value": target}``, where the target is a later page's key,
an exit page's key, or ``END`` (skip to the end of the trust's questions).

Branches only go forward (an exit page ends the walk), so every form that passes
``route_problems`` can be walked to its end from any answers: no dead ends, no loops.
"""

from __future__ import annotations

from collections.abc import Mapping

from tenants.eligibility.validation import PAGE_TYPES, show

END = "end"
GUIDANCE, EXIT = PAGE_TYPES


def asks_something(page: Mapping) -> bool:
    return page.get("type") not in PAGE_TYPES


def _index(pages: list) -> dict[str, int]:
    return {page["key"]: i for i, page in enumerate(pages) if isinstance(page, Mapping)
            and isinstance(page.get("key"), str)}


def _next_in_order(pages: list, position: int) -> str | None:
    """The next page after ``position`` that is not an exit page (those need a branch)."""
    for page in pages[position + 1:]:
        if page.get("type") != EXIT:
            return page["key"]
    return None


def next_page(pages: list, key: str, answers: Mapping) -> str | None:
    """The page after ``key`` for these answers: a key, or None at the end of the form."""
    index = _index(pages)
    page = pages[index[key]]
    if page.get("type") == EXIT:
        return None
    target = (page.get("routes") or {}).get(answers.get(key)) \
        if isinstance(answers.get(key), str) else None
    if target is not None:
        return None if target == END else target
    return _next_in_order(pages, index[key])


def first_page(pages: list) -> str | None:
    return _next_in_order(pages, -1)


def path(pages: list, answers: Mapping) -> list[str]:
    """The pages an applicant with these answers meets, in order (ends at an exit page)."""
    walked, key = [], first_page(pages)
    while key is not None and key not in walked:  # (route_problems forbids loops; belt and braces)
        walked.append(key)
        key = next_page(pages, key, answers)
    return walked


def ended_at_exit(pages: list, answers: Mapping) -> str | None:
    """The exit page these answers lead to, or None."""
    walked = path(pages, answers)
    if walked and pages[_index(pages)[walked[-1]]].get("type") == EXIT:
        return walked[-1]
    return None


def answers_on_path(pages: list, answers: Mapping) -> dict:
    """Only the answers to questions these answers actually lead through."""
    return {key: answers[key] for key in path(pages, answers) if key in answers}


def reachable(pages: list) -> set[str]:
    """Every page some answers can lead to."""
    seen: set[str] = set()
    todo = [first_page(pages)]
    index = _index(pages)
    while todo:
        key = todo.pop()
        if key is None or key in seen or key not in index:
            continue
        seen.add(key)
        page = pages[index[key]]
        if page.get("type") == EXIT:
            continue
        routes = page.get("routes") or {}
        options = [o.get("value") for o in page.get("options") or ()]
        # An unrouted option (or no answer, if optional) goes on to the next page in order.
        if not options or len(routes) < len(options) or not page.get("required", True):
            todo.append(_next_in_order(pages, index[key]))
        todo.extend(None if target == END else target for target in routes.values())
    return seen


def unreachable_warnings(pages: list) -> list[str]:
    """Plain-words warnings about pages no applicant can ever reach."""
    if route_problems(pages):
        return []
    seen = reachable(pages)
    warnings = []
    for page in pages:
        if page["key"] in seen:
            continue
        if page.get("type") == EXIT:
            warnings.append(f"No answer leads to the exit page '{page['label']}': add a branch "
                            "to it from a one-choice question, or remove it.")
        else:
            warnings.append(f"No applicant can reach '{page['label']}': every route before it "
                            "skips past it.")
    return warnings


def route_problems(pages) -> list[str]:
    """Problems with branches, each naming the page; empty when every route is usable."""
    if not isinstance(pages, list):
        return []
    index = _index(pages)
    problems: list[str] = []
    for i, page in enumerate(pages):
        if not isinstance(page, Mapping) or "routes" not in page:
            continue
        where, routes = f"questions[{i}].routes", page["routes"]
        if page.get("type") != "single_choice":
            problems.append(f"{where}: only one-choice questions can branch")
            continue
        if not isinstance(routes, Mapping):
            problems.append(f"{where}: must map option values to pages")
            continue
        options = {o.get("value") for o in page.get("options") or () if isinstance(o, Mapping)}
        for option, target in routes.items():
            if option not in options:
                problems.append(f"{where}: {show(option)} is not one of this question's options")
            elif target == END:
                continue
            elif not isinstance(target, str) or target not in index:
                problems.append(f"{where}.{option}: goes to a page that does not exist "
                                f"({show(target)}); it may have been removed")
            elif pages[index[target]].get("type") != EXIT and index[target] <= i:
                problems.append(f"{where}.{option}: can only go to a later page or an exit page")
    return problems
