"""Suspending, exporting and offboarding a trust from the console."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile

import pytest
import pyzipper
from accounts.helpers import post_form

from peerpath.admin import export_content, offboarding
from peerpath.extensions import db
from peerpath.tenancy import TenantSuspended, tenant_context
from tenants.coordinators.service import create_coordinator


@pytest.fixture
def trust_with_staff(app, make_trust):
    tenant = make_trust(display_name="Leaving NHS Trust", hosts=["leaving.example"])
    with app.app_context(), tenant_context(tenant):
        for n, role in enumerate(("lead", "coordinator", "panel")):
            create_coordinator(db.session, email=f"staff{n}@leaving.example",
                               display_name=f"Staff, \"{role}\"\nline two", role=role)
        db.session.commit()
    return tenant


def _status(client, slug, action):
    # "confirmed": the answer of the confirmation page a suspension asks for first
    return post_form(client, f"/admin/trusts/{slug}/status",
                     {"action": action, "confirmed": "yes"}, form_page=f"/admin/trusts/{slug}")


def test_suspending_shows_a_503_on_trust_pages_and_jobs_refuse_it(admin_client, app,
                                                                  trust_with_staff):
    slug = trust_with_staff.slug
    assert admin_client.get(f"/trusts/{slug}/").status_code == 200
    assert _status(admin_client, slug, "suspend").status_code == 302
    page = admin_client.get(f"/trusts/{slug}/")
    assert page.status_code == 503 and "temporarily unavailable" in page.get_data(as_text=True)
    with app.app_context(), pytest.raises(TenantSuspended), tenant_context(slug):
        pass  # a job for this trust never gets a session
    detail = admin_client.get(f"/admin/trusts/{slug}").get_data(as_text=True)
    assert "Resume trust" in detail  # the console still manages a suspended trust
    assert _status(admin_client, slug, "resume").status_code == 302
    assert admin_client.get(f"/trusts/{slug}/").status_code == 200


def test_an_unknown_status_action_is_an_error_summary(admin_client, trust_with_staff):
    response = _status(admin_client, trust_with_staff.slug, "explode")
    assert response.status_code == 400 and "There is a problem" in response.get_data(as_text=True)


def test_the_export_matches_the_database_and_its_checksums(admin_client, app, owner_conn,
                                                           trust_with_staff):
    slug, schema = trust_with_staff.slug, trust_with_staff.schema
    response = post_form(admin_client, f"/admin/trusts/{slug}/export", {},
                         form_page=f"/admin/trusts/{slug}")
    # Issue 15: the archive is encrypted; its passphrase is shown once, on this page.
    assert response.status_code == 200
    made = response.get_data(as_text=True)
    passphrase = re.search(r'id="export-passphrase"[^>]*value="([^"]+)"', made).group(1)
    page = admin_client.get(f"/admin/trusts/{slug}").get_data(as_text=True)
    assert passphrase not in page
    link = page.split('id="exports"')[1].split('href="')[1].split('"')[0]
    download = admin_client.get(link)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with pytest.raises((RuntimeError, NotImplementedError)):  # not without the passphrase
        zipfile.ZipFile(io.BytesIO(download.data)).read("manifest.json")
    archive = pyzipper.AESZipFile(io.BytesIO(download.data))
    archive.setpassword(passphrase.encode())
    manifest = json.loads(archive.read("manifest.json"))
    for name, entry in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == entry["sha256"]
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert len(sums) == len(manifest["files"])

    tables = {t for (t,) in owner_conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))}
    # Issue 15: tables holding only credentials or keys stay behind (export_content).
    assert set(manifest["tables"]) == tables - export_content.CREDENTIAL_TABLES
    rows = owner_conn.execute(
        f'SELECT id, email, display_name, role FROM "{schema}".coordinators ORDER BY id'
    ).fetchall()
    as_csv = list(csv.DictReader(io.StringIO(archive.read("tables/coordinators.csv").decode())))
    as_json = json.loads(archive.read("tables/coordinators.json"))
    for exported in (as_csv, as_json):
        assert sorted((int(r["id"]), r["email"], r["display_name"], r["role"])
                      for r in exported) == rows
    assert manifest["tables"]["coordinators"] == 3
    assert owner_conn.execute("SELECT count(*) FROM platform.audit_log WHERE target = %s "
                              "AND action IN ('trust.exported', 'trust.export_downloaded')",
                              (slug,)).fetchone() == (2,)


def _offboard(client, slug, confirmation):
    return post_form(client, f"/admin/trusts/{slug}/offboard", {"confirmation": confirmation},
                     form_page=f"/admin/trusts/{slug}")


def test_offboarding_is_refused_until_suspended_exported_and_confirmed(admin_client,
                                                                        trust_with_staff):
    slug = trust_with_staff.slug
    for confirmation, message in ((slug, "Suspend the trust first"),
                                  ("wrong", "to confirm")):
        response = _offboard(admin_client, slug, confirmation)
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and "There is a problem" in body and message in body
    _status(admin_client, slug, "suspend")
    response = _offboard(admin_client, slug, slug)
    assert response.status_code == 400 and "Export the trust" in response.get_data(as_text=True)


def test_offboarding_drops_schema_and_role_and_keeps_a_tombstone(admin_client, app, owner_conn,
                                                                 trust_with_staff):
    slug, schema, role = trust_with_staff.slug, trust_with_staff.schema, trust_with_staff.role
    _status(admin_client, slug, "suspend")
    with app.app_context():
        offboarding.export_trust(slug, actor="test")
    response = _offboard(admin_client, slug, slug)
    assert response.status_code == 302
    assert owner_conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s",
                              (schema,)).fetchone() == (0,)
    assert owner_conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                              (role,)).fetchone() == (0,)
    assert owner_conn.execute("SELECT status, hosts FROM platform.trusts WHERE slug = %s",
                              (slug,)).fetchone() == ("offboarded", [])
    assert owner_conn.execute("SELECT actor FROM platform.audit_log WHERE target = %s AND "
                              "action = 'trust.offboarded'", (slug,)).fetchone() == (
        admin_client.admin_email,)
    assert admin_client.get(f"/trusts/{slug}/").status_code == 404
    overview = admin_client.get("/admin/trusts")
    assert overview.status_code == 200 and f'id="trust-{slug}"' in overview.get_data(as_text=True)


def test_suspending_asks_for_confirmation_on_a_page_that_says_what_will_happen(
        admin_client, owner_conn, trust_with_staff):
    slug = trust_with_staff.slug
    asked = post_form(admin_client, f"/admin/trusts/{slug}/status", {"action": "suspend"},
                      form_page=f"/admin/trusts/{slug}")
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and f"Suspend {slug}?" in page
    assert "Nothing is deleted" in page and "Yes, suspend the trust" in page
    assert 'name="confirmed" value="yes"' in page and f'href="/admin/trusts/{slug}"' in page
    assert owner_conn.execute("SELECT status FROM platform.trusts WHERE slug = %s",
                              (slug,)).fetchone()[0] == "active", "nothing changed yet"
    assert _status(admin_client, slug, "suspend").status_code == 302
    assert _status(admin_client, slug, "resume").status_code == 302  # resuming asks nothing
