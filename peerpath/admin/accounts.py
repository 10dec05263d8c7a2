"""Platform admin accounts: password (argon2id) plus mandatory TOTP, recovery codes.

Sessions and the TOTP rules are shared with coordinators (peerpath.sessions,
peerpath.twofactor); this module keeps the admins' side: the platform tables and the login
object Flask-Login holds (ids only).
"""

from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import func, select, update

from peerpath import twofactor
from peerpath.admin.models import RecoveryCode, platform_session
from peerpath.auth import hash_password, needs_rehash, platform_user_id, verify_password
from peerpath.models import PlatformAdmin
from peerpath.sessions import PLATFORM_SCOPE

REALM = "platform"


class AdminLogin(UserMixin):
    realm = REALM

    def __init__(self, admin: PlatformAdmin):
        self.admin_id = admin.id
        self.email = admin.email

    def get_id(self) -> str:
        return platform_user_id(self.admin_id)


def load_for_login(bare_id: str) -> AdminLogin | None:
    with platform_session() as session:
        admin = session.get(PlatformAdmin, int(bare_id))
    # An admin without a second factor has not finished enrolling: never signed in; a
    # deactivated admin's open sessions stop counting at their next request.
    usable = admin is not None and admin.totp_secret and admin.active
    return AdminLogin(admin) if usable else None


def get(admin_id: int) -> PlatformAdmin | None:
    with platform_session() as session:
        return session.get(PlatformAdmin, admin_id)


def check_password(email: str, password: str) -> PlatformAdmin | None:
    with platform_session() as session, session.begin():
        admin = session.scalars(select(PlatformAdmin).where(
            func.lower(PlatformAdmin.email) == email.strip().lower())).one_or_none()
        if not verify_password(admin.password_hash if admin else None, password):
            return None
        if not admin.active:
            return None
        if needs_rehash(admin.password_hash):
            admin.password_hash = hash_password(password)
        return admin


class AdminExists(Exception):
    pass


def create_admin(email: str, password: str) -> PlatformAdmin:
    email = email.strip()
    with platform_session() as session, session.begin():
        taken = session.scalar(select(PlatformAdmin.id).where(
            func.lower(PlatformAdmin.email) == email.lower()))
        if taken is not None:
            raise AdminExists(f"{email} is already a platform admin")
        admin = PlatformAdmin(email=email, password_hash=hash_password(password))
        session.add(admin)
    return admin


def every_admin() -> list[PlatformAdmin]:
    with platform_session() as session:
        return list(session.scalars(select(PlatformAdmin).order_by(PlatformAdmin.email)))


def totp_secret(admin: PlatformAdmin) -> str:
    return twofactor.decrypt_secret(admin.totp_secret, realm=REALM, scope=PLATFORM_SCOPE)


def verify_totp(admin: PlatformAdmin, code: str) -> bool:
    return twofactor.verify_code(REALM, PLATFORM_SCOPE, admin.id, totp_secret(admin), code)


def complete_enrolment(admin_id: int, secret: str) -> list[str]:
    """Keep the confirmed secret and a fresh set of recovery codes; returns the codes."""
    codes = twofactor.new_recovery_codes()
    with platform_session() as session, session.begin():
        session.execute(update(PlatformAdmin).where(PlatformAdmin.id == admin_id).values(
            totp_secret=twofactor.encrypt_secret(secret, realm=REALM, scope=PLATFORM_SCOPE)))
        session.execute(update(RecoveryCode).where(  # a re-enrolment voids the old codes
            RecoveryCode.admin_id == admin_id, RecoveryCode.used_at.is_(None)).values(
            used_at=func.now()))
        session.add_all(RecoveryCode(admin_id=admin_id,
                                     code_hash=twofactor.hash_recovery_code(code))
                        for code in codes)
    return codes


def use_recovery_code(admin_id: int, code: str) -> bool:
    with platform_session() as session, session.begin():
        unused = session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
            RecoveryCode.admin_id == admin_id, RecoveryCode.used_at.is_(None))
            .with_for_update()).all()
        code_id = twofactor.find_recovery_code([tuple(row) for row in unused], code)
        if code_id is None:
            return False
        session.execute(update(RecoveryCode).where(RecoveryCode.id == code_id)
                        .values(used_at=func.now()))
        return True


def recovery_codes_left(admin_id: int) -> int:
    with platform_session() as session:
        return session.scalar(select(func.count()).select_from(RecoveryCode).where(
            RecoveryCode.admin_id == admin_id, RecoveryCode.used_at.is_(None)))


def note_sign_in(admin_id: int) -> None:
    with platform_session() as session, session.begin():
        session.execute(update(PlatformAdmin).where(PlatformAdmin.id == admin_id)
                        .values(last_sign_in_at=func.now()))
