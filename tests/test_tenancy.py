"""Tenant isolation: schemas, roles and pooled connections never leak one trust into another."""

from __future__ import annotations

import pytest
from flask import Blueprint, jsonify
from psycopg.errors import InsufficientPrivilege, UndefinedTable
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.tenancy import SessionTenantMismatch, bind_session, tenant_context
from tenants.coordinators.models import Coordinator
from tenants.coordinators.service import create_coordinator


def _probe_blueprint() -> Blueprint:
    """Routes that report what a request's tenant transaction sees, or fail half-way."""
    bp = Blueprint("probe", __name__)

    def state():
        row = db.session.execute(text(
            "SELECT current_setting('search_path'), current_user")).one()
        emails = db.session.scalars(select(Coordinator.email).order_by(Coordinator.email)).all()
        return {"search_path": row[0], "user": row[1], "emails": emails}

    @bp.get("/probe")
    def read():
        return jsonify(state())

    @bp.post("/probe/raise")
    def write_then_raise():
        create_coordinator(db.session, email="leak@x.example", display_name="Leak")
        raise RuntimeError("boom after a write")

    @bp.post("/probe/rollback")
    def write_then_rollback():
        create_coordinator(db.session, email="leak@x.example", display_name="Leak")
        db.session.rollback()
        return jsonify(state())

    @bp.post("/probe/savepoint")
    def savepoint_rollback():
        nested = db.session.begin_nested()
        create_coordinator(db.session, email="leak@x.example", display_name="Leak")
        nested.rollback()
        return jsonify(state())

    return bp


@pytest.fixture(scope="module")
def pool_of_one(database_url):
    """An app whose pool holds a single connection, so every request reuses it."""
    from peerpath.app import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0}})
    app.register_blueprint(_probe_blueprint(), url_prefix="/trusts/<trust_slug>")
    return app


@pytest.fixture(scope="module")
def sentinel_trusts(pool_of_one):
    from peerpath import trust_admin
    from tests.conftest import unique_slug

    tenants = []
    with pool_of_one.app_context():
        for n in range(3):
            tenant = trust_admin.onboard(slug=unique_slug("iso"), display_name=f"Trust {n}")
            with tenant_context(tenant):
                create_coordinator(db.session, email=f"sentinel-{tenant.slug}@x.example",
                                   display_name="Sentinel")
                db.session.commit()
            tenants.append(tenant)
    return tenants


def test_interleaved_requests_on_one_pooled_connection_see_only_their_own_trust(
        pool_of_one, sentinel_trusts):
    client = pool_of_one.test_client()
    steps = [("get", "/probe"), ("post", "/probe/raise"), ("post", "/probe/rollback"),
             ("get", "/probe"), ("post", "/probe/savepoint"), ("get", "/probe")]
    for method, path in steps:
        for tenant in sentinel_trusts:
            response = getattr(client, method)(f"/trusts/{tenant.slug}{path}")
            if path == "/probe/raise":
                assert response.status_code == 500
                continue
            body = response.get_json()
            assert body["search_path"] == f'"{tenant.schema}"'
            assert body["user"] == tenant.role
            assert body["emails"] == [f"sentinel-{tenant.slug}@x.example"]


def test_current_user_is_the_trust_role_in_every_tenant_transaction(pool_of_one, sentinel_trusts):
    with pool_of_one.app_context():
        for tenant in sentinel_trusts * 2:
            with tenant_context(tenant):
                for _ in range(2):  # a second transaction on the same session, too
                    assert db.session.execute(text("SELECT current_user")).scalar() == tenant.role
                    db.session.commit()


def test_a_trust_role_cannot_read_another_trusts_schema(pool_of_one, sentinel_trusts):
    mine, other = sentinel_trusts[0], sentinel_trusts[1]
    with pool_of_one.app_context(), tenant_context(mine):
        with pytest.raises(ProgrammingError) as refused:
            db.session.execute(text(f'SELECT * FROM "{other.schema}".coordinators')).all()
        assert isinstance(refused.value.orig, InsufficientPrivilege)


def test_forgetting_the_tenant_reads_nothing(pool_of_one, sentinel_trusts):
    tenant = sentinel_trusts[0]
    with pool_of_one.app_context(), Session(db.engine) as session:
        assert session.execute(text("SELECT current_user")).scalar() == "peerpath_app"
        with pytest.raises(ProgrammingError) as refused:
            session.execute(text(f'SELECT * FROM "{tenant.schema}".coordinators')).all()
        assert isinstance(refused.value.orig, InsufficientPrivilege)
        session.rollback()
        with pytest.raises(ProgrammingError) as unqualified:
            session.execute(text("SELECT * FROM coordinators")).all()
        assert isinstance(unqualified.value.orig, UndefinedTable)


def test_a_session_never_serves_two_trusts(pool_of_one, sentinel_trusts):
    first, second = sentinel_trusts[:2]
    with pool_of_one.app_context(), tenant_context(first), pytest.raises(SessionTenantMismatch):
        bind_session(db.session(), second)


def test_tenant_context_restores_the_previous_trust_on_exit(pool_of_one, sentinel_trusts):
    outer, inner = sentinel_trusts[:2]
    with pool_of_one.app_context(), tenant_context(outer):
        with tenant_context(inner):
            assert db.session.execute(text("SELECT current_user")).scalar() == inner.role
        assert db.session.execute(text("SELECT current_user")).scalar() == outer.role
