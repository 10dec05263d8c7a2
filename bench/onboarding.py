"""Onboarding and fleet upgrades at 1,000 trusts.

Targets (issue 3): one more trust at most 0.2 s median; `peerpath trusts upgrade` with
nothing to do at most 2 s for the whole command; a new additive migration (a column and an
index) across 1,000 trusts at most 15 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from bench._support import scratch_database, summary

TRUSTS = int(os.environ.get("BENCH_TRUSTS", "1000"))
EXTRA_REVISION = '''
"""Benchmark: an additive migration.

Revision ID: t_bench_extra
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "t_bench_extra"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("coordinators", sa.Column("bench_note", sa.String(40)))
    op.create_index("ix_coordinators_bench_note", "coordinators", ["bench_note"])


def downgrade():
    pass
'''


def main() -> None:
    os.environ.setdefault("PEERPATH_ENV", "test")
    url = scratch_database("peerpath_bench")
    from peerpath import trust_admin
    from peerpath.app import create_app
    from peerpath.config import load_config
    from peerpath.database import upgrade_database
    from peerpath.fleet import upgrade_fleet
    from peerpath.migrate import MIGRATIONS, tenant_head, use_script_location

    cfg = load_config()
    upgrade_database(url, cfg["APP_DATABASE_URL"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                     cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    app = create_app()
    started = time.perf_counter()
    timings = []
    with app.app_context():
        for n in range(TRUSTS):
            t0 = time.perf_counter()
            trust_admin.onboard(slug=f"bench-{n:05d}", display_name=f"Bench Trust {n}",
                                actor="bench")
            timings.append(time.perf_counter() - t0)
            if (n + 1) % 250 == 0:
                print(f"  {n + 1} trusts onboarded ({time.perf_counter() - started:.0f} s)",
                      flush=True)
        extra = []
        for n in range(25):
            t0 = time.perf_counter()
            trust_admin.onboard(slug=f"bench-extra-{n:03d}", display_name="Extra", actor="bench")
            extra.append(time.perf_counter() - t0)
    print(f"onboarding the first {TRUSTS} trusts: {summary(timings)}")
    print(f"onboarding one more trust with {TRUSTS} present: {summary(extra)} "
          f"(target median <= 200 ms: {'met' if statistics.median(extra) <= 0.2 else 'MISSED'})")

    peerpath = str(Path(sys.executable).parent / "peerpath")
    noop = []
    for _ in range(5):
        t0 = time.perf_counter()
        out = subprocess.run([peerpath, "trusts", "upgrade"], capture_output=True, text=True,
                             check=True).stdout
        noop.append(time.perf_counter() - t0)
    assert "nothing to do" in out, out
    print(f"`peerpath trusts upgrade` with nothing to do (whole command): {summary(noop)} "
          f"(target <= 2 s: {'met' if statistics.median(noop) <= 2 else 'MISSED'})")

    with tempfile.TemporaryDirectory() as folder:
        scripts = Path(folder) / "tenant"
        shutil.copytree(MIGRATIONS / "tenant", scripts)
        (scripts / "versions" / "9999_bench.py").write_text(
            textwrap.dedent(EXTRA_REVISION).format(head=tenant_head()))
        use_script_location("tenant", scripts)
        for jobs in (4,):
            t0 = time.perf_counter()
            results = upgrade_fleet(url, jobs=jobs)
            seconds = time.perf_counter() - t0
            failed = [r for r in results if not r.ok]
            print(f"additive migration across {len(results)} trusts with --jobs {jobs}: "
                  f"{seconds:.1f} s, {len(failed)} failed "
                  f"(target <= 15 s: {'met' if seconds <= 15 and not failed else 'MISSED'})")
        use_script_location("tenant", MIGRATIONS / "tenant")


if __name__ == "__main__":
    main()
