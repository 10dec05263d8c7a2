from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from peerpath.models import TenantBase, utcnow_column

ROLES = ("lead", "coordinator", "panel", "read_only")
# Per-person permissions beside the role (a lead sets them on the team page): a permission
# in tenants/coordinators/permissions that names one is held only by people granted it.
GRANTS = ("make_decisions", "set_up_interviews", "view_sensitive", "view_equality",
          "manage_team")
GRANT_NAMES = {
    "make_decisions": "Make decisions (eligibility, shortlist, interview results)",
    "set_up_interviews": "Set up interviews",
    "view_sensitive": "View sensitive disclosures (lived experience answers, adjustments)",
    "view_equality": "View equality monitoring (totals only)",
    "manage_team": "Manage the team",
}
# Everyone starts with every grant their role allows; a lead takes away what does not fit.
ALL_GRANTS_SQL = "'[" + ", ".join(f'"{g}"' for g in GRANTS) + "]'::jsonb"
ROLE_NAMES = {
    "lead": "Lead coordinator",
    "coordinator": "Coordinator",
    "panel": "Interview panel member",
    "read_only": "Read-only",
}


class Coordinator(TenantBase):
    """A member of one trust's staff; the same e-mail at two trusts is two people.

    `totp_secret` is sealed by peerpath.twofactor.encrypt_secret and set only once the
    person has proved their app works; no secret means they enrol at their next sign-in.
    """

    __tablename__ = "coordinators"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="coordinator")
    password_hash: Mapped[str | None] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(Text)
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    grants: Mapped[list] = mapped_column(JSONB, default=lambda: list(GRANTS),
                                         server_default=text(ALL_GRANTS_SQL))
    created_at: Mapped[dt.datetime] = utcnow_column()
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("uq_coordinators_email", func.lower(email), unique=True),)


class RecoveryCode(TenantBase):
    """One single-use recovery code, stored as a salted hash (peerpath.twofactor)."""

    __tablename__ = "coordinator_recovery_codes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        ForeignKey("coordinators.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = utcnow_column()
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Invitation(TenantBase):
    """A lead's invitation: the link's token is single-use, expires, and only its hash is kept."""

    __tablename__ = "coordinator_invitations"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(
        ForeignKey("coordinators.id", ondelete="CASCADE"), index=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("coordinators.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = utcnow_column()
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
