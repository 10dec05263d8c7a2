"""Page latency, SQL statements per request, tenancy overhead, worker memory and a bounded
load test, at 2 trusts and at 1,000 (issue 19).

Every page is timed against a bare Flask endpoint doing one `SELECT 1` (bench/_bare.py),
served by the same gunicorn settings as `make run` (2 sync workers), in the same run:
ROUNDS alternating rounds of REQUESTS sequential GETs each, median of the rounds' medians.
The pages: `/`, the trust page, each EOI step (choose a cohort, your details, a question,
check your answers; the last two as an applicant with an EOI in progress), and a signed-in
coordinator's applications list (BENCH_APPLICATIONS in the cohort, one page shown) and
cohort dashboard. Targets (issue 19): public pages and EOI steps within 3x of bare, the
coordinator's within 5x, and each page's multiple at 1,000 trusts within 1.1x of its
multiple at 2. The load test is locust (bench/_load.py), headless and bounded in time, from
a second process, with a recruitment week's mix (LOAD_MIX).
Environment: BENCH_TRUSTS (1000), BENCH_REQUESTS (100), BENCH_APPLICATIONS (1000),
BENCH_LOAD_SECONDS (20), BENCH_LOAD_CLIENTS (8).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from dataclasses import dataclass

from bench import _load, _people
from bench._http import Gunicorn, get
from bench._support import scratch_database

TRUSTS = int(os.environ.get("BENCH_TRUSTS", "1000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "1000"))
ROUNDS = 3
PUBLIC_TARGET, COORDINATOR_TARGET, TRUSTS_RATIO_TARGET = 3.0, 5.0, 1.1
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
LOAD_CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "8"))
TODAY = dt.date.today()


def seed_trust(app, slug: str, name: str, with_calendar: bool) -> None:
    from sqlalchemy import select

    from peerpath import trust_admin
    from peerpath.extensions import db
    from peerpath.tenancy import tenant_context
    from tenants.cohorts.models import Cohort, Course
    from tenants.infosessions import service as infosessions

    with app.app_context():
        tenant = trust_admin.onboard(slug=slug, display_name=name, actor="bench")
    if not with_calendar:
        return
    with tenant_context(tenant, app):
        course = db.session.scalars(select(Course).limit(1)).first()
        db.session.add(Cohort(course_id=course.id, name="Spring intake", capacity=12,
                              eoi_opens_on=TODAY - dt.timedelta(days=3),
                              eoi_closes_on=TODAY + dt.timedelta(days=20),
                              interview_week_of=TODAY + dt.timedelta(days=30),
                              starts_on=TODAY + dt.timedelta(days=60)))
        infosessions.save_session(db.session, {
            "title": "Drop-in", "on_date": TODAY + dt.timedelta(days=7),
            "starts_at": dt.time(10), "ends_at": dt.time(12), "place": f"{name} library",
            "capacity": None, "access_notes": None})
        db.session.commit()


@dataclass(frozen=True)
class Page:
    path: str
    cookie: str | None = None
    target: float | None = PUBLIC_TARGET  # multiple of bare; None: no target


def pages_of(app, slug: str) -> dict[str, Page]:
    """The pages to time, with the people they need (made once, at 2 trusts)."""
    cohort = _people.cohort_id_of(app, slug)
    _people.add_applications(app, slug, cohort, APPLICATIONS)
    applicant, question = _people.applicant_cookie(app, slug, cohort)
    coordinator = _people.coordinator_cookie(app, slug)
    base = f"/trusts/{slug}"
    # A visitor without a session is usually served from the micro-cache
    # (peerpath.page_cache); the same pages with a session are rendered every time.
    return {"/ (list of trusts)": Page("/"), "trust page": Page(f"{base}/"),
            "trust page, rendered": Page(f"{base}/", applicant),
            "apply: choose a cohort": Page(f"{base}/apply"),
            "apply: choose, rendered": Page(f"{base}/apply", applicant),
            "apply: your details": Page(f"{base}/apply/{cohort}/your-details"),
            "apply: a question": Page(question, applicant),
            "apply: check your answers": Page(f"{base}/apply/check-your-answers", applicant),
            f"applications list ({APPLICATIONS})": Page(
                f"{base}/coordinator/cohorts/{cohort}/applications", coordinator,
                COORDINATOR_TARGET),
            "cohort dashboard": Page(f"{base}/coordinator/cohorts/{cohort}/", coordinator,
                                     COORDINATOR_TARGET),
            "crisis page (no trust)": Page("/help-in-a-crisis", target=None)}


def time_pages(app_port: int, bare_port: int, pages: dict[str, Page]) -> dict[str, float]:
    """Median seconds per page (and "bare"), alternating rounds."""
    rounds: dict[str, list[float]] = {name: [] for name in [*pages, "bare"]}
    for _ in range(ROUNDS):
        for name, (port, page) in {**{n: (app_port, p) for n, p in pages.items()},
                                   "bare": (bare_port, Page("/"))}.items():
            samples = []
            for _ in range(REQUESTS):
                status, took = get(port, page.path, cookie=page.cookie)
                assert status == 200, (name, status)
                samples.append(took)
            rounds[name].append(statistics.median(samples))
    return {name: statistics.median(values) for name, values in rounds.items()}


def statements_per_page(app, pages: dict[str, Page]) -> dict[str, int]:
    from tests.perf.statements import count_statements

    counts = {}
    for name, page in pages.items():
        client = app.test_client()
        if page.cookie:
            client.set_cookie(*page.cookie.split("=", 1))
        client.get(page.path)
        with count_statements(app) as sent:
            client.get(page.path)
        counts[name] = len(sent)
    return counts


def tenancy_overhead(app, slug: str, n: int = 2000) -> tuple[float, float]:
    """Median seconds of (resolve trust + tenant transaction + one query) and of the same
    query in a plain transaction of the app role."""
    from sqlalchemy import text

    from peerpath.extensions import db
    from peerpath.tenancy import open_tenant

    query = text("SELECT 1")
    tenanted, plain = [], []
    with app.app_context():
        for _ in range(n):
            started = time.perf_counter()
            with app.test_request_context(f"/trusts/{slug}/"):
                open_tenant(db.session(), slug)  # as routing.resolve_tenant does
                db.session.execute(query).scalar_one()
                db.session.remove()
            tenanted.append(time.perf_counter() - started)
            started = time.perf_counter()
            with app.test_request_context("/"):
                db.session.execute(query).scalar_one()
                db.session.remove()
            plain.append(time.perf_counter() - started)
    return statistics.median(tenanted), statistics.median(plain)


def print_latency(label: str, medians: dict[str, float], statements: dict[str, int],
                  pages: dict[str, Page]) -> None:
    bare = medians["bare"]
    print(f"\n{label}: bare Flask + SELECT 1 median {bare * 1000:.2f} ms")
    for name, page in pages.items():
        multiple = medians[name] / bare
        verdict = "" if page.target is None else \
            f"  target {page.target:.0f}x: {'met' if multiple <= page.target else 'NOT met'}"
        print(f"  {name:<28} {medians[name] * 1000:7.2f} ms  {multiple:5.1f}x bare  "
              f"{statements[name]:3d} statements{verdict}")


def memory(slugs: list[str]) -> tuple[int, int]:
    """Resident KiB of one gunicorn worker after serving one trust, and after 1,000."""
    results = []
    for spread in (slugs[:1] * len(slugs), slugs):
        with Gunicorn("wsgi:app", workers=1) as server:
            for slug in spread:
                get(server.port, f"/trusts/{slug}/")
            results.append(max(server.worker_rss_kib()))
    return results[0], results[1]


# A recruitment week (issue 19): 80% public pages, 15% EOI steps, 5% coordinator pages, the
# EOI steps and coordinator pages as the signed-in applicant and coordinator of the timings.
LOAD_MIX = {"/ (list of trusts)": 40, "trust page": 40, "apply: choose a cohort": 4,
            "apply: your details": 4, "apply: a question": 4, "apply: check your answers": 3,
            f"applications list ({APPLICATIONS})": 3, "cohort dashboard": 2}
LOAD_MIX_WORDS = "80% public pages, 15% EOI steps, 5% coordinator pages"


def load_test(port: int, pages: dict[str, Page]) -> dict:
    mix = [[weight, pages[name].path, pages[name].cookie] for name, weight in LOAD_MIX.items()]
    return _load.load(port, LOAD_SECONDS, LOAD_CLIENTS, mix)


def main() -> None:
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # the in-process app's request lines
    url = scratch_database("peerpath_bench_pages")
    from peerpath.app import create_app
    from peerpath.config import load_config
    from peerpath.database import upgrade_database

    cfg = load_config()
    upgrade_database(url, cfg["APP_DATABASE_URL"], cfg["DB_STATEMENT_TIMEOUT_MS"],
                     cfg["DB_IDLE_IN_TRANSACTION_TIMEOUT_MS"])
    app = create_app()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores)")
    slugs = ["bench-one", "bench-two"]
    seed_trust(app, "bench-one", "Bench One NHS Trust", True)
    seed_trust(app, "bench-two", "Bench Two NHS Trust", True)
    pages = pages_of(app, "bench-one")
    figures = {}
    for count in (2, TRUSTS):
        started = time.monotonic()
        while len(slugs) < count:
            slug = f"bench-{len(slugs):04d}"
            seed_trust(app, slug, f"Trust {len(slugs):04d} NHS Trust", len(slugs) % 3 == 0)
            slugs.append(slug)
        if count > 2:
            print(f"\nonboarded {count - 2} more trusts in {time.monotonic() - started:.0f} s")
        with Gunicorn("wsgi:app") as site, Gunicorn("bench._bare:app") as bare:
            medians = time_pages(site.port, bare.port, pages)
            statements = statements_per_page(app, pages)
            print_latency(f"{count} trusts", medians, statements, pages)
            figures[count] = medians
            if count == TRUSTS:
                load = load_test(site.port, pages)
                print(f"\nload test, {load['clients']} clients for {load['seconds']} s "
                      f"({LOAD_MIX_WORDS}): "
                      f"{load['rps']} requests/s, median {load['median_ms']} ms, "
                      f"p95 {load['p95_ms']} ms, {load['errors']} errors of "
                      f"{load['requests']}")
    # The machine's load may change between the two runs: each page's multiple of the bare
    # endpoint, measured in the same minute, is the figure to compare.
    print(f"\n{TRUSTS} vs 2 trusts: ratio of medians (and of multiples of bare; target "
          f"{TRUSTS_RATIO_TARGET}):")
    bare_drift = figures[TRUSTS]["bare"] / figures[2]["bare"]
    for name in pages:
        raw = figures[TRUSTS][name] / figures[2][name]
        print(f"  {name:<28} {raw:.2f}  ({raw / bare_drift:.2f})")
    tenanted, plain = tenancy_overhead(app, "bench-one")
    print(f"\ntenancy overhead: resolve + tenant transaction + SELECT 1 {tenanted * 1000:.2f} ms"
          f" vs plain {plain * 1000:.2f} ms = {tenanted / plain:.2f}x (target 1.2x)")
    one, many = memory(slugs)
    print(f"\ngunicorn worker RSS after {len(slugs)} requests: one trust {one / 1024:.1f} MiB, "
          f"{len(slugs)} different trusts {many / 1024:.1f} MiB = {many / one:.2f}x")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
