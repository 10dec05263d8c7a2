"""The coordinator sign-in steps of the request's trust: password, then a code from the
authenticator app (or a recovery code), or, the first time, setting the app up.

Between the steps the person is "pending" (peerpath.sessions.begin_pending): not signed in,
with at most PENDING_MAX_ATTEMPTS wrong codes before they must start again.
"""

from __future__ import annotations

from flask_login import login_user
from sqlalchemy import func, select, update

from peerpath import sessions, twofactor
from peerpath.auth import hash_password, needs_rehash, verify_password
from peerpath.tenancy import current_tenant
from tenants.audit.service import record
from tenants.coordinators.models import Coordinator, RecoveryCode
from tenants.coordinators.service import CoordinatorLogin, find_by_email

REALM = "trust"
VERIFY, ENROL = "verify", "enrol"


def _scope() -> str:
    return current_tenant().slug


def check_password(session, email: str, password: str) -> Coordinator | None:
    """The active coordinator with this e-mail and password, or None (same time either way)."""
    coordinator = find_by_email(session, email)
    ok = verify_password(coordinator.password_hash if coordinator else None, password)
    if not ok or not coordinator.active:
        record("coordinator.sign_in_failed", "coordinator",
               coordinator.id if coordinator else None, detail={"step": "password"},
               session=session)
        return None
    if needs_rehash(coordinator.password_hash):
        coordinator.password_hash = hash_password(password)
    return coordinator


def begin_second_step(coordinator: Coordinator, next_url: str = "") -> str:
    """Rotate the cookie and remember who passed the password; returns VERIFY or ENROL."""
    if coordinator.totp_secret:
        sessions.begin_pending(REALM, _scope(), coordinator.id, stage=VERIFY, next=next_url)
        return VERIFY
    sealed = twofactor.encrypt_secret(twofactor.new_secret(), realm=REALM, scope=_scope())
    sessions.begin_pending(REALM, _scope(), coordinator.id, stage=ENROL, secret=sealed,
                           next=next_url)
    return ENROL


def pending_coordinator(session, stage: str) -> tuple[Coordinator, dict] | None:
    """The active coordinator half-way through sign-in at `stage`, with the pending record."""
    pending = sessions.pending(REALM, _scope())
    if pending is None or pending.get("stage") != stage:
        return None
    coordinator = session.get(Coordinator, pending["user_id"])
    if coordinator is None or not coordinator.active:
        sessions.end_pending()
        return None
    return coordinator, pending


def enrolment_details(coordinator: Coordinator, pending: dict) -> dict:
    """What the set-up page shows: the QR code and the same secret typed out."""
    secret = twofactor.decrypt_secret(pending["secret"], realm=REALM, scope=_scope())
    issuer = f"PeerPath: {current_tenant().display_name}"
    uri = twofactor.provisioning_uri(secret, coordinator.email, issuer)
    return {"qr_svg": twofactor.qr_svg(uri), "secret": twofactor.grouped(secret)}


def code_failed(session, coordinator: Coordinator, step: str) -> bool:
    """Audit a wrong code; True while the pending sign-in may try again."""
    record("coordinator.sign_in_failed", "coordinator", coordinator.id,
           detail={"step": step}, session=session)
    return sessions.note_pending_failure(REALM, _scope())


def verify_code(coordinator: Coordinator, code: str) -> bool:
    secret = twofactor.decrypt_secret(coordinator.totp_secret, realm=REALM, scope=_scope())
    return twofactor.verify_code(REALM, _scope(), coordinator.id, secret, code)


def use_recovery_code(session, coordinator: Coordinator, code: str) -> bool:
    """Accept an unused recovery code and mark it used (at most once, also when racing)."""
    unused = session.execute(
        select(RecoveryCode.id, RecoveryCode.code_hash).where(
            RecoveryCode.coordinator_id == coordinator.id, RecoveryCode.used_at.is_(None))
    ).all()
    code_id = twofactor.find_recovery_code([tuple(row) for row in unused], code)
    if code_id is None:
        return False
    claimed = session.execute(
        update(RecoveryCode).where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=func.now()).returning(RecoveryCode.id)).scalar_one_or_none()
    if claimed is not None:
        record("coordinator.recovery_code_used", "coordinator", coordinator.id,
               detail={"codes_left": len(unused) - 1}, session=session)
    return claimed is not None


def unused_recovery_codes(session, coordinator_id: int) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.coordinator_id == coordinator_id, RecoveryCode.used_at.is_(None)))


def replace_recovery_codes(session, coordinator: Coordinator) -> list[str]:
    """Ten new codes (returned once, to show); every older code stops working."""
    session.execute(update(RecoveryCode).where(
        RecoveryCode.coordinator_id == coordinator.id, RecoveryCode.used_at.is_(None))
        .values(used_at=func.now()))
    codes = twofactor.new_recovery_codes()
    session.add_all(RecoveryCode(coordinator_id=coordinator.id,
                                 code_hash=twofactor.hash_recovery_code(code)) for code in codes)
    return codes


def renew_recovery_codes(session, coordinator: Coordinator, code: str) -> list[str] | None:
    """A signed-in coordinator's new set of codes, once a current app code proves it is them.

    Returns None (audited as a failure) for a wrong code. The audit never holds a code."""
    if not verify_code(coordinator, code):
        record("coordinator.recovery_codes_refused", "coordinator", coordinator.id,
               session=session)
        return None
    codes = replace_recovery_codes(session, coordinator)
    record("coordinator.recovery_codes_replaced", "coordinator", coordinator.id,
           detail={"codes": len(codes)}, session=session)
    return codes


def confirm_enrolment(session, coordinator: Coordinator, pending: dict,
                      code: str) -> list[str] | None:
    """Keep the secret once the app has produced a right code; returns the recovery codes."""
    secret = twofactor.decrypt_secret(pending["secret"], realm=REALM, scope=_scope())
    if not twofactor.verify_code(REALM, _scope(), coordinator.id, secret, code):
        return None
    coordinator.totp_secret = pending["secret"]
    coordinator.totp_enrolled_at = func.now()
    record("coordinator.two_factor_enrolled", "coordinator", coordinator.id, session=session)
    return replace_recovery_codes(session, coordinator)


def reset_two_factor(session, coordinator: Coordinator) -> None:
    """A lead's reset for someone who lost their phone: they set the app up again next time."""
    coordinator.totp_secret = None
    coordinator.totp_enrolled_at = None
    session.execute(update(RecoveryCode).where(
        RecoveryCode.coordinator_id == coordinator.id, RecoveryCode.used_at.is_(None))
        .values(used_at=func.now()))
    sessions.end_all_sessions(REALM, _scope(), coordinator.id)
    record("coordinator.two_factor_reset", "coordinator", coordinator.id, session=session)


def complete_sign_in(session, coordinator: Coordinator, *, method: str) -> None:
    """Both factors passed: a fresh server-side session, Flask-Login, and the audit entry."""
    sessions.start_session(REALM, _scope(), coordinator.id)
    login_user(CoordinatorLogin(coordinator, _scope()))
    coordinator.last_sign_in_at = func.now()
    record("coordinator.sign_in", "coordinator", coordinator.id, detail={"second_factor": method},
           session=session)


def sign_out(session) -> None:
    record("coordinator.sign_out", session=session)
    sessions.end_session()
