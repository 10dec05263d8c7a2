"""Static files as browsers should get them: compressed (gzip and brotli), with fingerprinted
names for the stylesheets and scripts the pages link to, cached for a year as immutable.

The build copies peerpath/static/ to peerpath/static_build/, adds `<name>.<hash>.css|js`
beside each stylesheet and script, a `.gz` and a `.br` of every file worth compressing, and a
manifest from each plain name to its fingerprinted one. WhiteNoise serves the build under
/static/ (picking `.br` or `.gz` by Accept-Encoding) before any other middleware runs, and
`url_for('static', ...)` links to the fingerprinted names. A changed file gets a new name, so
a year-long `immutable` cache is safe; other files (images) are cached for a day.

The build runs at install (`python -m peerpath.static_files`), and again on start-up when the
sources changed since (so `make run` picks up an edited script), under a lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

STATIC_ROOT = Path(__file__).resolve().parent / "static"
BUILD_ROOT = STATIC_ROOT.with_name("static_build")
MANIFEST = "peerpath-manifest.json"
FINGERPRINTED_SUFFIXES = (".css", ".js")
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.(?:css|js)$")
ONE_DAY = 24 * 60 * 60


def _sources(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith("."))


def source_digest(source: Path = STATIC_ROOT) -> str:
    """Changes when any static source file is added, removed or rewritten."""
    digest = hashlib.sha256()
    for path in _sources(source):
        stat = path.stat()
        digest.update(f"{path.relative_to(source)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _fingerprinted(path: Path) -> Path:
    content_hash = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return path.with_name(f"{path.stem}.{content_hash}{path.suffix}")


def build(source: Path = STATIC_ROOT, target: Path = BUILD_ROOT) -> dict[str, str]:
    """Make the build from scratch, then swap it in; returns the manifest."""
    draft = target.with_name(target.name + ".draft")
    shutil.rmtree(draft, ignore_errors=True)
    shutil.copytree(source, draft, ignore=shutil.ignore_patterns(".*"))
    names: dict[str, str] = {}
    for path in _sources(draft):
        if path.suffix in FINGERPRINTED_SUFFIXES:
            hashed = _fingerprinted(path)
            shutil.copy2(path, hashed)
            names[str(path.relative_to(draft))] = str(hashed.relative_to(draft))
    # Source maps are fetched by developer tools only: not worth brotli's time at install.
    compressor = Compressor(extensions=(*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"),
                            quiet=True)
    for path in _sources(draft):
        if compressor.should_compress(path.name):
            compressor.compress(str(path))
    manifest = {"source_digest": source_digest(source), "files": names}
    (draft / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    draft.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return names


def _read_manifest(target: Path) -> dict | None:
    try:
        return json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def ensure_built(source: Path = STATIC_ROOT, target: Path = BUILD_ROOT) -> dict[str, str]:
    """The manifest of an up-to-date build, building it first if the sources changed."""
    current = source_digest(source)
    manifest = _read_manifest(target)
    if manifest and manifest.get("source_digest") == current:
        return manifest["files"]
    with open(target.with_name(".static_build.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # gunicorn workers start together: one builds
        manifest = _read_manifest(target)
        if manifest and manifest.get("source_digest") == current:
            return manifest["files"]
        return build(source, target)


def is_fingerprinted(path: str, url: str) -> bool:
    return bool(FINGERPRINT.search(url))


def add_security_headers(headers, path: str, url: str) -> None:
    """The headers peerpath.security gives Flask's responses that matter for files."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"


def init_static_files(app) -> None:
    names = ensure_built()
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(BUILD_ROOT), prefix="static/",
                              max_age=ONE_DAY, immutable_file_test=is_fingerprinted,
                              allow_all_origins=False, add_headers_function=add_security_headers)

    @app.url_defaults
    def link_fingerprinted_names(endpoint, values):
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]


if __name__ == "__main__":
    built = build()
    print(f"Built {BUILD_ROOT} ({len(built)} fingerprinted files)", file=sys.stderr)
