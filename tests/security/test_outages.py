"""With PostgreSQL or Redis unreachable, pages give the NHS.UK "Sorry, there is a problem with
the service" page and the API a JSON body, both with status 503; never a 500.

Each case runs in a process of its own whose app is pointed at a port where nothing
listens, so the shared test app and its services are left alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.applications.helpers import onboard_trust

NOTHING_LISTENS = "127.0.0.1:9"
PROBE = r"""
import json, re, sys
from peerpath.app import create_app

app = create_app({"TESTING": True})
client = app.test_client()
slug = sys.argv[1]
results = {}
def record(name, response):
    results[name] = {"status": response.status_code, "type": response.mimetype,
                     "body": response.get_data(as_text=True)[:20000],
                     "retry": response.headers.get("Retry-After")}
record("index", client.get("/"))
record("trust page", client.get(f"/trusts/{slug}/"))
record("trust host", client.get("/", headers={"Host": "outage.peerpath.test"}))
record("api", client.get(f"/api/v1/trusts/{slug}/cohorts",
                         headers={"Authorization": "Bearer pp_x"}))
page = client.get(f"/trusts/{slug}/account/sign-in")
token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
if token:
    record("sign-in form", client.post(f"/trusts/{slug}/account/sign-in",
                                       data={"email": "a@b.example",
                                             "csrf_token": token.group(1)}))
print(json.dumps(results))
"""


def probe(slug: str, **environment) -> dict:
    env = {**os.environ, "PEERPATH_ENV": "test", **environment}
    done = subprocess.run([sys.executable, "-c", PROBE, slug], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "outage", "Outage NHS Trust", hosts=["outage.peerpath.test"])


def assert_sorry_page(result: dict, where: str) -> None:
    assert result["status"] == 503, (where, result["status"], result["body"][:500])
    assert result["retry"], where
    if result["type"] == "application/json":
        assert json.loads(result["body"])["error"]["status"] == 503
    else:
        assert "Sorry, there is a problem with the service" in result["body"], where
        assert re.search(r'class="nhsuk-header', result["body"]), where


def test_pages_and_api_answer_503_when_postgresql_is_down(trust, database_url):
    results = probe(trust.slug, DATABASE_URL=f"postgresql://nobody:x@{NOTHING_LISTENS}/none",
                    APP_DATABASE_URL=f"postgresql://nobody:x@{NOTHING_LISTENS}/none")
    for where in ("index", "trust page", "trust host", "api"):
        assert_sorry_page(results[where], where)
    assert results["api"]["type"] == "application/json"


def test_pages_answer_503_when_redis_is_down(trust, database_url):
    results = probe(trust.slug, REDIS_URL=f"redis://{NOTHING_LISTENS}/0")
    assert results["trust page"]["status"] == 200  # a page that needs no Redis still works
    assert_sorry_page(results["sign-in form"], "sign-in form")  # its limiter needs Redis
    assert results["api"]["status"] in (401, 503)  # an unknown token is refused first
