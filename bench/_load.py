"""A bounded load test from a second process: `python -m bench._load PORT SECONDS CLIENTS
MIX_JSON`, where MIX_JSON is [[weight, path], ...]. Prints one JSON line: requests, errors,
requests per second, median and p95. (A threaded loop in the spirit of locust, without
adding locust and gevent to the lock file.)"""

from __future__ import annotations

import json
import random
import statistics
import sys
import threading
import time

from bench._http import get


def run(port: int, seconds: float, clients: int, mix: list) -> dict:
    weights, paths = zip(*mix, strict=True)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop_at:
            path = rng.choices(paths, weights)[0]
            try:
                status, took = get(port, path)
            except OSError as exc:
                status, took = 0, 0.0
                with lock:
                    errors.append(type(exc).__name__)
                continue
            with lock:
                latencies.append(took)
                if status >= 400:
                    errors.append(str(status))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies) or [0.0]
    return {"requests": len(latencies), "errors": len(errors), "clients": clients,
            "seconds": round(elapsed, 1), "rps": round(len(latencies) / elapsed, 1),
            "median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)}


if __name__ == "__main__":
    port, seconds, clients, mix = sys.argv[1:5]
    print(json.dumps(run(int(port), float(seconds), int(clients), json.loads(mix))))
