"""The recruitment-week load test: locust, headless and bounded in time, from a second
process. `load(port, seconds, clients, mix)` runs `locust -f bench/_locustfile.py` against
the gunicorn on `port` with `clients` users for `seconds`, each user picking its next page
from `mix` ([[weight, path, cookie or None], ...]) with no wait between requests, and
returns the requests, failures, requests per second, median and p95 of the whole run."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("_locustfile.py")
MIX_ENV = "PEERPATH_LOAD_MIX"


def load(port: int, seconds: float, clients: int, mix: list) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        prefix = str(Path(scratch) / "load")
        run = subprocess.run(
            [str(Path(sys.executable).parent / "locust"), "-f", str(LOCUSTFILE), "--headless",
             "--host", f"http://127.0.0.1:{port}", "--users", str(clients),
             "--spawn-rate", str(clients), "--run-time", f"{max(1, round(seconds))}s",
             "--stop-timeout", "10", "--csv", prefix, "--only-summary", "--loglevel", "WARNING",
             "--exit-code-on-error", "0"],
            env={**os.environ, MIX_ENV: json.dumps(mix)},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if run.returncode:
            raise RuntimeError(f"locust failed ({run.returncode}): {run.stderr[-2000:]}")
        with open(f"{prefix}_stats.csv", newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {"requests": int(total["Request Count"]), "errors": int(total["Failure Count"]),
            "clients": clients, "seconds": seconds,
            "rps": round(float(total["Requests/s"]), 1),
            "median_ms": float(total["50%"]), "p95_ms": float(total["95%"])}
