"""NHS.UK frontend wiring: Jinja set-up, template helpers and the static asset install.

Templates import components from nhsuk-frontend-jinja by their documented path, e.g.
``{% from "nhsuk/components/button/macro.jinja" import button %}``. The compiled CSS, JS
and images come from the npm package ``nhsuk-frontend`` (pinned in package.json) and are
copied into ``peerpath/static/nhsuk/`` by ``python -m peerpath.ui install-assets``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from markupsafe import Markup, escape

from peerpath.datewords import nhs_date, nhs_date_time, nhs_time
from peerpath.rendering import init_rendering
from peerpath.security import csp_nonce

SERVICE_NAME = "PeerPath"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
STATIC_SUBDIR = Path("peerpath") / "static" / "nhsuk"
DIST_SUBDIR = Path("node_modules") / "nhsuk-frontend" / "dist" / "nhsuk"
# Files copied from dist/nhsuk; "assets" is copied as a whole folder (images, manifest).
DIST_FILES = (
    "nhsuk-frontend.min.css",
    "nhsuk-frontend.min.css.map",
    "nhsuk-frontend.min.js",
    "nhsuk-frontend.min.js.map",
)
MARKER = ".installed"  # the Makefile's target for this step
INSTALL_FORMAT = "1"  # bump when the copy or rewrite rules change


# --- Jinja set-up -------------------------------------------------------------------------


def page_title(title: str, has_errors: object = False) -> Markup:
    """'Title - PeerPath - NHS' (en dashes), prefixed 'Error: ' when the page's form is invalid."""
    title = escape(str(title).strip()) if not isinstance(title, Markup) else title.strip()
    parts = [p for p in (title, SERVICE_NAME, "NHS") if p]
    text = Markup(" \u2013 ").join(parts)
    return Markup("Error: ") + text if has_errors else text


def _messages(key: str, value: object) -> Iterator[tuple[str, str]]:
    """(field id, first message) pairs from a WTForms-style errors value."""
    if isinstance(value, Mapping):
        for sub, sub_value in value.items():
            yield from _messages(f"{key}-{sub}" if key else str(sub), sub_value)
    elif isinstance(value, list | tuple):
        texts = [v for v in value if isinstance(v, str) and v]
        if texts:
            yield key, texts[0]
        for index, item in enumerate(value):
            if item and not isinstance(item, str):
                yield from _messages(f"{key}-{index}", item)
    elif value:
        yield key, str(value)


def error_list(errors: Mapping | None, ids: Mapping | None = None) -> list[dict]:
    """Items for the errorSummary component: one per field, linking to ``#<field id>``.

    ``errors`` maps field name to a message or a list of messages (as WTForms' form.errors,
    including nested FormField/FieldList errors, whose ids are joined with "-"). ``ids``
    overrides the link target for a field, e.g. {"dob": "dob-day"} for a date input.
    Form-level errors (key None or "") are listed without a link.
    """
    ids = ids or {}
    items = []
    for name, value in (errors or {}).items():
        for field_id, message in _messages("" if name is None else str(name), value):
            item = {"text": message}
            if field_id:
                item["href"] = "#" + str(ids.get(field_id, field_id))
            items.append(item)
    return items


def field_error(errors: Mapping | None, name: str) -> dict | None:
    """``{"text": message}`` for a component's ``errorMessage`` parameter, or None."""
    value = (errors or {}).get(name)
    for _field_id, message in _messages(name, value):
        return {"text": message}
    return None


def init_ui(app: Flask) -> None:
    """Load nhsuk-frontend-jinja templates after the app's own, and add template helpers."""
    app.jinja_options = {**app.jinja_options, "undefined": ChainableUndefined}
    env = app.jinja_env  # created now, with the options above, if not created yet
    env.undefined = ChainableUndefined
    env.loader = ChoiceLoader(
        [app.create_global_jinja_loader(), PackageLoader("nhsuk_frontend_jinja")]
    )
    env.globals.update(
        csp_nonce=csp_nonce,
        page_title=page_title,
        error_list=error_list,
        field_error=field_error,
        service_name=SERVICE_NAME,
    )
    env.filters.update(nhs_date=nhs_date, nhs_time=nhs_time, nhs_date_time=nhs_date_time)
    if "csrf_token" not in env.globals:  # CSRFProtect.init_app sets the same function
        from flask_wtf.csrf import generate_csrf

        env.globals["csrf_token"] = generate_csrf
    init_rendering(app)

    @app.before_request
    def _ensure_csp_nonce() -> None:
        csp_nonce()


# --- Static assets --------------------------------------------------------------------------


def _package_version(dist: Path) -> str:
    package_json = dist.parent.parent / "package.json"
    return json.loads(package_json.read_text(encoding="utf-8"))["version"]


def install_static_assets(
    project_root: Path | str = PROJECT_ROOT, dest: Path | None = None
) -> bool:
    """Copy nhsuk-frontend's compiled CSS, JS and assets into peerpath/static/nhsuk/.

    Returns False (and does nothing) when the copy is already of the installed version.
    The stylesheet refers to its images as /assets/...; that prefix is rewritten to a
    path relative to the stylesheet so everything is served from the static folder.
    """
    root = Path(project_root)
    dist = root / DIST_SUBDIR
    dest = Path(dest) if dest else root / STATIC_SUBDIR
    if not (dist / DIST_FILES[0]).is_file():
        raise FileNotFoundError(f"{dist} not found: run `npm ci --no-audit --no-fund` first")
    marker = f"nhsuk-frontend {_package_version(dist)} format {INSTALL_FORMAT}\n"
    marker_file = dest / MARKER
    if marker_file.is_file() and marker_file.read_text(encoding="utf-8") == marker:
        marker_file.touch()  # newer than package-lock.json, so make sees it up to date
        return False

    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nhsuk-", dir=dest.parent))
    try:
        for name in DIST_FILES:
            if (dist / name).is_file():
                shutil.copy2(dist / name, staging / name)
        css = staging / "nhsuk-frontend.min.css"
        css.write_text(
            css.read_text(encoding="utf-8").replace("url(/assets/", "url(assets/"),
            encoding="utf-8",
        )
        shutil.copytree(dist / "assets", staging / "assets")
        (staging / MARKER).write_text(marker, encoding="utf-8")
        staging.chmod(0o755)
        old = None
        if dest.exists():
            old = dest.with_name(staging.name + "-old")
            dest.rename(old)
        staging.rename(dest)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peerpath.ui")
    parser.add_argument("command", choices=["install-assets"])
    parser.add_argument("--project-root", type=Path, default=PROJECT_ROOT)
    args = parser.parse_args(argv)
    try:
        copied = install_static_assets(args.project_root)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    target = args.project_root / STATIC_SUBDIR
    print(f"{'Copied' if copied else 'Already up to date:'} NHS.UK frontend assets in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
