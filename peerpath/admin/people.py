"""The console's Admins page and `peerpath admins create`: adding and deactivating platform
admins, each change written to the platform audit log.

An added admin gets a generated password, shown once to whoever added them (there is no
e-mail invitation for admins); they set up two-factor at their first sign-in.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, update

from peerpath.admin import accounts, service
from peerpath.admin.models import platform_session
from peerpath.models import PlatformAdmin
from peerpath.refusal import Refused

MIN_PASSWORD_LENGTH = 12


def add_admin(email: str, *, actor: str, ip: str | None = None,
              password: str | None = None) -> str:
    """Create the admin and return their password (generated unless one is given)."""
    password = secrets.token_urlsafe(18) if password is None else password
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(f"The password needs at least {MIN_PASSWORD_LENGTH} characters",
                      field="password", status=400)
    try:
        accounts.create_admin(email, password)
    except accounts.AdminExists as exc:
        raise Refused(str(exc), field="email") from None
    service.record(actor, "admin.created", target=email.strip(), ip=ip)
    return password


def deactivate_admin(admin_id: int, *, by_admin_id: int, actor: str,
                     ip: str | None = None) -> PlatformAdmin:
    """Deactivate another admin; refused for oneself, so the console always keeps one."""
    if admin_id == by_admin_id:
        raise Refused("You cannot deactivate yourself. Ask another admin to do it.")
    with platform_session() as session, session.begin():
        admin = session.get(PlatformAdmin, admin_id, with_for_update=True)
        if admin is None:
            raise Refused("There is no such admin", status=404)
        if not admin.active:
            raise Refused(f"{admin.email} is already deactivated")
        session.execute(update(PlatformAdmin).where(PlatformAdmin.id == admin_id)
                        .values(deactivated_at=func.now()))
    service.record(actor, "admin.deactivated", target=admin.email, ip=ip)
    return admin
