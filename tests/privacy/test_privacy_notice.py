"""Each trust's privacy notice: a default at onboarding, public, versioned edits by leads."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from peerpath.extensions import db
from peerpath.tenancy import tenant_context
from tenants import seed_demo_trust
from tenants.privacy import service
from tests.dp_support import csrf_token, onboard_with_staff, signed_in_client


@pytest.fixture(scope="module")
def trust(app):
    return onboard_with_staff(app, "notice", display_name="Notice Test NHS Trust")


def test_a_new_trust_starts_with_a_default_notice_naming_the_trust(app, trust):
    body = app.test_client().get(f"/trusts/{trust.slug}/privacy").get_data(as_text=True)
    assert "How Notice Test NHS Trust uses your information" in body
    assert "Notice Test NHS Trust is the data controller" in body
    assert "team@trust.example" in body and "Version 1" in body
    assert "<h2>Your rights</h2>" in body


def test_the_notice_offers_a_continue_button_only_to_a_page_of_the_same_trust(app, trust):
    client = app.test_client()
    here = f"/trusts/{trust.slug}/apply/start"
    page = client.get(f"/trusts/{trust.slug}/privacy", query_string={"next": here})
    assert f'href="{here}"' in page.get_data(as_text=True)
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/trusts/other-trust/apply"):
        page = client.get(f"/trusts/{trust.slug}/privacy", query_string={"next": elsewhere})
        assert "Continue" not in page.get_data(as_text=True)


def test_a_lead_publishes_a_new_version_and_the_old_one_is_kept(app, trust):
    client = signed_in_client(app, trust, "lead")
    edit = f"/trusts/{trust.slug}/coordinator/privacy-notice"
    text = "## Who we are\nWe run the programme.\n\n" + "Plain words about your data. " * 5
    response = client.post(edit, data={"body": text, "csrf_token": csrf_token(client, edit)})
    assert response.status_code == 302
    public = app.test_client().get(f"/trusts/{trust.slug}/privacy").get_data(as_text=True)
    assert "We run the programme." in public and "Version 2" in public
    with tenant_context(trust, app=app):
        assert [v.version for v in service.versions(db.session)][:2] == [2, 1]
        assert service.current_version(db.session) == 2


def test_typed_markup_is_shown_as_text_not_run(app):
    html = service.render("## <script>alert(1)</script>\n- <b>bold</b>\n\nline one\nline two")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert "<ul" in html and "line one<br>line two" in html


def test_a_too_short_notice_is_refused_and_what_was_typed_is_kept(app, trust):
    client = signed_in_client(app, trust, "lead")
    edit = f"/trusts/{trust.slug}/coordinator/privacy-notice"
    response = client.post(edit, data={"body": "Too short", "csrf_token": csrf_token(client, edit)})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is a problem" in body
    assert "<title>Error: " in body and "Too short</textarea>" in body


def test_only_leads_may_edit_the_notice(app, trust):
    client = signed_in_client(app, trust, "coordinator")
    assert client.get(f"/trusts/{trust.slug}/coordinator/privacy-notice").status_code == 403


def test_published_versions_cannot_be_rewritten_by_the_trust_role(app, trust, database_url):
    with psycopg.connect(database_url) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(trust.role)))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql.SQL("UPDATE {}.privacy_notices SET body = 'x'").format(
                sql.Identifier(trust.schema)))


def test_the_demo_seed_gives_a_notice_to_a_trust_without_one_and_is_idempotent(
        app, owner_conn):
    tenant = onboard_with_staff(app, "seeded")
    owner_conn.execute(sql.SQL("TRUNCATE {}.privacy_notices").format(
        sql.Identifier(tenant.schema)))
    for _ in range(2):
        with tenant_context(tenant, app=app):
            seed_demo_trust(db.session, tenant)
            db.session.commit()
    with tenant_context(tenant, app=app):
        assert [v.version for v in service.versions(db.session)] == [1]
