"""The Nu Html Checker (vnu.jar from the npm package vnu-jar, run with the system Java) finds
no errors on the coordinators' and applicants' pages: no ARIA roles on the rows and cells of
responsive tables, no role="text", no duplicate ids."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from peerpath.ui import PROJECT_ROOT
from tests.accounts.helpers import post_form
from tests.applications.helpers import create_cohort, onboard_trust
from tests.workspace.helpers import make_application, signed_in_client

VNU = PROJECT_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
COORDINATOR_PAGES = (
    "coordinator/", "coordinator/team/", "coordinator/team/{lead_id}", "coordinator/audit",
    "coordinator/audit?action=application.view", "coordinator/settings/",
    "coordinator/settings/cohorts", "coordinator/settings/cohorts/{cohort}",
    "coordinator/settings/courses", "coordinator/settings/eligibility/",
    "coordinator/settings/drop-ins/", "coordinator/settings/templates",
    "coordinator/settings/notifications", "coordinator/privacy-notice",
    "coordinator/retention", "coordinator/subject-access", "coordinator/api-tokens",
    "coordinator/messages", "coordinator/follow-ups", "coordinator/interviews/",
    "coordinator/cohorts/", "coordinator/cohorts/{cohort}/",
    "coordinator/cohorts/{cohort}/applications",
    "coordinator/cohorts/{cohort}/applications/{application}",
    "coordinator/cohorts/{cohort}/interviews", "coordinator/cohorts/{cohort}/places",
    "coordinator/cohorts/{cohort}/shortlisting",
    "coordinator/cohorts/{cohort}/shortlisting/{application}",
    "coordinator/cohorts/{cohort}/applications/new", "coordinator/cohorts/{cohort}/equality",
    "coordinator/reports/",
)
APPLICANT_PAGES = ("", "apply", "eligibility-check", "easy-read", "account/sign-in",
                   "help-in-a-crisis")


def checker_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Every error vnu reports, as 'page: message (extract)'."""
    java = shutil.which("java")
    assert java and VNU.is_file(), "needs Java and node_modules/vnu-jar (make setup)"
    files = []
    for number, (name, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        files.append((path, name))
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json",
                             "--exit-zero-always", *(str(p) for p, _ in files)],
                            capture_output=True, text=True, timeout=300, check=True)
    names = {p.resolve().as_uri(): name for p, name in files}
    messages = json.loads(result.stderr)["messages"]
    return [f"{names.get(m.get('url', '').replace('file:/', 'file:///', 1), m.get('url'))}: "
            f"{m['message']} ({' '.join(m.get('extract', '').split())})"
            for m in messages if m["type"] in ("error", "non-document-error")]


@pytest.fixture(scope="module")
def trust(app):
    return onboard_trust(app, "valid", "Valid NHS Trust")


def test_the_nu_html_checker_finds_no_errors(app, client, trust, tmp_path):
    cohort = create_cohort(app, trust, name="Valid intake")
    application = make_application(app, trust, cohort, name="Val Id")
    make_application(app, trust, cohort, name="Val Id")  # a possible duplicate, flagged
    lead, lead_id = signed_in_client(app, trust, "lead")
    base = f"/trusts/{trust.slug}/"
    pages = {}
    for path in COORDINATOR_PAGES:
        url = base + path.format(cohort=cohort, application=application, lead_id=lead_id)
        response = lead.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data(as_text=True)
    _, colleague_id = signed_in_client(app, trust, "coordinator")
    for name, url, data in (
            ("remove confirmation", f"{base}coordinator/team/{colleague_id}/deactivate", {}),
            ("withdraw confirmation",
             f"{base}coordinator/cohorts/{cohort}/applications/{application}/move",
             {"to": "withdrawn"})):
        response = post_form(lead, url, data,
                             form_page=f"{base}coordinator/team/{colleague_id}")
        assert response.status_code == 200, url
        pages[name] = response.get_data(as_text=True)
    for path in APPLICANT_PAGES:
        response = client.get(base + path)
        assert response.status_code == 200, base + path
        pages[base + path] = response.get_data(as_text=True)
    errors = checker_errors(pages, tmp_path)
    assert errors == [], "\n".join(errors)
