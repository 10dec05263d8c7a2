"""Onboarding a trust: all of it, or nothing of it."""

from __future__ import annotations

import pytest

from peerpath import trust_admin
from peerpath.migrate import tenant_head
from peerpath.onboarding import OnboardingError
from tests.conftest import unique_slug


def _leftovers(conn, slug: str) -> dict:
    schema = "trust_" + slug.replace("-", "_")
    return {
        "registry": conn.execute("SELECT count(*) FROM platform.trusts WHERE slug = %s",
                                 (slug,)).fetchone()[0],
        "schema": conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s",
                               (schema,)).fetchone()[0],
        "role": conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s",
                             (schema + "_rw",)).fetchone()[0],
    }


def test_onboarding_creates_registry_row_schema_role_and_stamps_the_head(make_trust, owner_conn):
    tenant = make_trust(display_name="Somewhere NHS Foundation Trust",
                        hosts=["psw.somewhere.test"], contact_email="psw@somewhere.example")
    assert _leftovers(owner_conn, tenant.slug) == {"registry": 1, "schema": 1, "role": 1}
    version = owner_conn.execute(
        f'SELECT version_num FROM "{tenant.schema}".alembic_version').fetchone()[0]
    assert version == tenant_head()
    role = owner_conn.execute(
        "SELECT rolcanlogin, rolinherit, rolsuper FROM pg_roles WHERE rolname = %s",
        (tenant.role,)).fetchone()
    assert role == (False, False, False)
    app_role = owner_conn.execute(
        "SELECT rolinherit, rolsuper FROM pg_roles WHERE rolname = 'peerpath_app'").fetchone()
    assert app_role == (False, False)
    audit = owner_conn.execute(
        "SELECT actor, action FROM platform.audit_log WHERE target = %s", (tenant.slug,)).fetchall()
    assert audit == [("test", "trust.onboarded")]


def test_a_duplicate_slug_is_refused_with_a_clear_error(make_trust):
    tenant = make_trust()
    with pytest.raises(OnboardingError, match="already exists"):
        make_trust(slug=tenant.slug)


@pytest.mark.parametrize("slug", [
    "select", "drop", "table", "user", "admin", "api",           # SQL keywords, route names
    "a", "x" * 42, "Upper", "1trust", "-trust", "trust-",          # length, case, shape
    "o'brien", 'quo"te', "semi;colon", "spa ce", "under_score",   # quotes and odd characters
    "double--hyphen", "", "dröp",
])
def test_invalid_slugs_are_refused_and_leave_nothing(make_trust, owner_conn, slug):
    with pytest.raises(OnboardingError, match=r"slug|reserved"):
        make_trust(slug=slug)
    count = owner_conn.execute("SELECT count(*) FROM platform.trusts WHERE slug = %s",
                               (slug,)).fetchone()[0]
    assert count == 0


def test_bad_hosts_and_names_are_refused(make_trust):
    with pytest.raises(OnboardingError, match="host name"):
        make_trust(hosts=["not a host"])
    with pytest.raises(OnboardingError, match="name"):
        make_trust(display_name="  ")


def test_a_failure_half_way_leaves_no_schema_role_or_registry_row(app, owner_conn):
    slug = unique_slug("fail")
    written = []

    def failing_step(session, tenant):
        written.append(tenant.schema)  # the schema exists by now: the failure is mid-way
        raise RuntimeError("disk full")

    with app.app_context(), pytest.raises(OnboardingError, match=r"rolled back.*disk full"):
        trust_admin.onboard(slug=slug, display_name="Doomed NHS Trust", actor="test",
                            extra_steps=[failing_step])
    assert written, "the injected failure must have run inside onboarding"
    assert _leftovers(owner_conn, slug) == {"registry": 0, "schema": 0, "role": 0}


def test_the_same_slug_can_be_onboarded_after_a_failed_attempt(app, make_trust):
    slug = unique_slug("retry")

    def failing_step(session, tenant):
        raise RuntimeError("network blip")

    with app.app_context(), pytest.raises(OnboardingError):
        trust_admin.onboard(slug=slug, display_name="Retry NHS Trust", extra_steps=[failing_step])
    assert make_trust(slug=slug).slug == slug
