"""Platform-side trust management used by the CLI, the admin console and the API."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from peerpath.database import owner_engine
from peerpath.extensions import db
from peerpath.fleet import schema_versions
from peerpath.models import PlatformAuditEntry, Trust
from peerpath.onboarding import NewTrust, OnboardingError, create_trust
from peerpath.tenancy import Tenant, UnknownTenant

__all__ = ["OnboardingError", "fleet_overview", "onboard", "record", "set_status"]


def record(session: Session, *, actor: str, action: str, target: str | None = None,
           ip: str | None = None, detail: dict | None = None) -> None:
    """Append to the platform audit log (the app role may insert, never change it)."""
    session.add(PlatformAuditEntry(actor=actor, action=action, target=target, ip=ip,
                                   detail=detail or {}))


def onboard(*, slug: str, display_name: str, hosts: Sequence[str] = (),
            contact_email: str | None = None, contact_phone: str | None = None,
            actor: str = "cli", ip: str | None = None, extra_steps=()) -> Tenant:
    new = NewTrust(slug=slug, display_name=display_name, hosts=tuple(hosts),
                   contact_email=contact_email, contact_phone=contact_phone,
                   setup_steps=(*current_app.extensions["tenant_setup_steps"], *extra_steps))
    engine = owner_engine(current_app.config["DATABASE_URL"])
    try:
        tenant = create_trust(engine, new, current_app.extensions["tenant_metadata"])
    finally:
        engine.dispose()
    with Session(db.engine) as session, session.begin():
        record(session, actor=actor, action="trust.onboarded", target=slug, ip=ip)
    return tenant


def set_status(slug: str, status: str, *, actor: str, ip: str | None = None) -> None:
    with Session(db.engine) as session, session.begin():
        changed = session.execute(
            update(Trust).where(Trust.slug == slug, Trust.status != "offboarded")
            .values(status=status)).rowcount
        if not changed:
            raise UnknownTenant(slug)
        record(session, actor=actor, action=f"trust.{status}", target=slug, ip=ip)


def fleet_overview() -> list[dict]:
    engine = owner_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            versions = {v.slug: v.version for v in schema_versions(conn)}
            trusts = conn.execute(select(Trust).order_by(Trust.slug)).all()
    finally:
        engine.dispose()
    return [
        {"slug": t.slug, "display_name": t.display_name, "status": t.status,
         "schema": t.schema_name, "hosts": list(t.hosts or ()), "version": versions.get(t.slug),
         "created_at": t.created_at}
        for t in trusts
    ]
