"""Shared set-up for tests/security and tests/privacy: a trust with one member of staff per
role, signed-in clients, and a throwaway table of "people" that test providers anonymise."""

from __future__ import annotations

from functools import lru_cache

import psycopg
from psycopg import sql

from peerpath import trust_admin
from peerpath.auth import hash_password
from peerpath.extensions import db
from peerpath.tenancy import Tenant, tenant_context
from tenants.coordinators.models import ROLES
from tenants.coordinators.service import create_coordinator
from tests.conftest import unique_slug
from tests.test_coordinator_sign_in import LEAD_SECRET, sign_in

STAFF_PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def _staff_hash() -> str:
    return hash_password(STAFF_PASSWORD)  # hashed once: argon2 is slow on purpose


def staff_email(role: str) -> str:
    return f"{role.replace('_', '-')}@trust.example"


def onboard_with_staff(app, prefix: str = "dp", display_name: str = "Test NHS Trust") -> Tenant:
    with app.app_context():
        tenant = trust_admin.onboard(slug=unique_slug(prefix), display_name=display_name,
                                     actor="test", contact_email="team@trust.example")
    with app.app_context(), tenant_context(tenant):
        for role in ROLES:
            staff = create_coordinator(db.session, email=staff_email(role), role=role,
                                       display_name=f"Test {role}", totp_secret=LEAD_SECRET)
            staff.password_hash = _staff_hash()
        db.session.commit()
    return tenant


def signed_in_client(app, tenant: Tenant, role: str):
    client = app.test_client()
    response = sign_in(client, tenant, staff_email(role), STAFF_PASSWORD)
    assert response.status_code == 302, "sign-in must succeed"
    return client


def csrf_token(client, path: str) -> str:
    from tests.test_coordinator_sign_in import csrf_from

    return csrf_from(client.get(path))


def create_people_table(database_url: str, tenant: Tenant) -> None:
    """A stand-in for an applications table, in the trust's schema, for the trust role."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL(
            "CREATE TABLE {}.people (id serial PRIMARY KEY, ref text NOT NULL, name text, "
            "status text NOT NULL, cohort_start date NOT NULL)").format(
                sql.Identifier(tenant.schema)))
        conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {}.people TO {}").format(
            sql.Identifier(tenant.schema), sql.Identifier(tenant.role)))
        conn.execute(sql.SQL("GRANT USAGE ON {}.people_id_seq TO {}").format(
            sql.Identifier(tenant.schema), sql.Identifier(tenant.role)))
