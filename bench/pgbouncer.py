"""PostgreSQL's connection count behind PgBouncer (transaction mode) under 200 concurrent
clients: it stays at PgBouncer's pool size. Runs only behind PgBouncer:

    PEERPATH_PGBOUNCER=1 make bench BENCH_ARGS=pgbouncer
"""

from __future__ import annotations

import os
import threading
import time

import psycopg

from bench._support import scratch_database
from peerpath.localpgbouncer import POOL_SIZE

CLIENTS = int(os.environ.get("BENCH_PGBOUNCER_CLIENTS", "200"))
TRANSACTIONS = 5


def main() -> None:
    direct = os.environ.get("PEERPATH_DIRECT_DATABASE_URL")
    if os.environ.get("DATABASE_POOL_MODE") != "transaction" or not direct:
        print("skipped: not behind PgBouncer (run with PEERPATH_PGBOUNCER=1)")
        return
    url = scratch_database("peerpath_bench_pgbouncer")
    name = url.rsplit("/", 1)[1]
    errors: list[str] = []
    peak = [0]
    done = threading.Event()

    def client() -> None:
        try:
            with psycopg.connect(url, prepare_threshold=None) as conn:
                for _ in range(TRANSACTIONS):
                    with conn.transaction():
                        conn.execute("SELECT pg_sleep(0.05)")
        except psycopg.Error as exc:
            errors.append(type(exc).__name__)

    def watch() -> None:
        with psycopg.connect(direct, autocommit=True) as conn:
            while not done.is_set():
                (count,) = conn.execute("SELECT count(*) FROM pg_stat_activity "
                                        "WHERE datname = %s", (name,)).fetchone()
                peak[0] = max(peak[0], count)
                time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    done.set()
    watcher.join()
    print(f"{CLIENTS} concurrent clients x {TRANSACTIONS} transactions of 50 ms through "
          f"PgBouncer in {elapsed:.1f} s: at most {peak[0]} PostgreSQL connections to the "
          f"database (PgBouncer pool size {POOL_SIZE}), "
          f"{len(errors)} errors")
