"""Lighthouse 12 (mobile, its default: a Moto G Power, slow 4G and a 4x slower CPU, all
simulated) on `/`, a trust page and an EOI page, served by gunicorn as `make run` serves
them (issue 19: performance at least 95).

Lighthouse is an npm tool the app does not need, so it is kept out of package.json (and out
of `make setup`): the first run installs the pinned version into .peerpath/tools/lighthouse.
It drives Debian's Chromium (CHROME_PATH, default /usr/bin/chromium) headless.
Environment: BENCH_LIGHTHOUSE_RUNS (3; the median score of the runs is reported).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench import pages
from bench._http import Gunicorn
from bench._support import scratch_database

VERSION = "12.2.3"
TOOLS = Path(__file__).resolve().parents[1] / ".peerpath" / "tools" / "lighthouse"
BINARY = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
SLUG = "lighthouse-bench"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
AUDITS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
          "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS",
          "speed-index": "SI"}


def ensure_lighthouse() -> Path:
    if not BINARY.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "i", "-E", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                        f"lighthouse@{VERSION}"], check=True)
    return BINARY


def audit(url: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run([str(ensure_lighthouse()), url, "--quiet", "--output=json",
                        f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                        "--only-categories=performance,accessibility,best-practices"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROME},
                       stdout=subprocess.DEVNULL)
        data = json.loads(report.read_text())
    scores = {name: round(category["score"] * 100)
              for name, category in data["categories"].items()}
    return {**scores, **{short: data["audits"][name]["displayValue"]
                         for name, short in AUDITS.items()}}


def main() -> None:
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    url = scratch_database("peerpath_bench_lighthouse")
    from peerpath.app import create_app
    from peerpath.config import load_config
    from peerpath.database import upgrade_database

    cfg = load_config()
    upgrade_database(url, cfg["APP_DATABASE_URL"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                     cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    app = create_app()
    # Trust roles are the server's, not the database's: a slug of its own, so this can run
    # beside the pages benchmark.
    pages.seed_trust(app, SLUG, "Lighthouse NHS Trust", True)
    cohort = pages._people.cohort_id_of(app, SLUG)
    targets = {"/ (list of trusts)": "/", "trust page": f"/trusts/{SLUG}/",
               "EOI: your details": f"/trusts/{SLUG}/apply/{cohort}/your-details"}
    print(f"Lighthouse {VERSION}, mobile (default), {RUNS} runs each, median; "
          f"Chromium {CHROME} {CHROME_FLAGS}; load average {os.getloadavg()[0]:.1f}")
    with Gunicorn("wsgi:app") as site:
        for name, path in targets.items():
            runs = [audit(f"http://127.0.0.1:{site.port}{path}") for _ in range(RUNS)]
            best = sorted(runs, key=lambda r: r["performance"])[len(runs) // 2]
            print(f"  {name:<20} performance {best['performance']:3d} "
                  f"(runs: {', '.join(str(r['performance']) for r in runs)}), "
                  f"accessibility {best['accessibility']}, best practices "
                  f"{best['best-practices']}; " + ", ".join(
                      f"{short} {best[short]}" for short in AUDITS.values()))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
