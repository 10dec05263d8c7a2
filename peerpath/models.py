"""Declarative bases and the platform schema's models.

Platform tables live in schema `platform` and are always schema-qualified. Tenant tables are
declared on `TenantBase`, whose metadata has no schema: each trust's schema is chosen by the
transaction's search_path (see peerpath.tenancy).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Index,
    MetaData,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, INET, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PLATFORM_SCHEMA = "platform"


class PlatformBase(DeclarativeBase):
    metadata = MetaData(schema=PLATFORM_SCHEMA, naming_convention=NAMING)


class TenantBase(DeclarativeBase):
    """Base of every table that lives inside one trust's schema."""

    metadata = MetaData(naming_convention=NAMING)


def utcnow_column(**kwargs) -> Mapped[dt.datetime]:
    return mapped_column(DateTime(timezone=True), server_default=func.now(), **kwargs)


class Trust(PlatformBase):
    """The tenant registry: one row per trust, kept as a tombstone after offboarding."""

    __tablename__ = "trusts"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    slug: Mapped[str] = mapped_column(String(41), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    schema_name: Mapped[str] = mapped_column(String(63), unique=True)
    role_name: Mapped[str] = mapped_column(String(63), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active", server_default="active")
    hosts: Mapped[list[str]] = mapped_column(ARRAY(String(253)), default=list,
                                             server_default="{}")
    contact_email: Mapped[str | None] = mapped_column(String(320))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = utcnow_column()
    updated_at: Mapped[dt.datetime] = utcnow_column(onupdate=func.now())

    __table_args__ = (
        Index("ix_trusts_hosts", "hosts", postgresql_using="gin"),
        CheckConstraint("status IN ('active', 'suspended', 'offboarded')", name="status"),
    )


class PlatformAdmin(PlatformBase):
    __tablename__ = "admins"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    totp_secret: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = utcnow_column()
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when another admin deactivates this one: no sign-in, session or token counts.
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def active(self) -> bool:
        return self.deactivated_at is None


class PlatformAuditEntry(PlatformBase):
    """Append-only for the app role: it holds INSERT and SELECT only."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[dt.datetime] = utcnow_column(index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(80))
    target: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(INET)
    detail: Mapped[dict] = mapped_column(JSONB, default=dict, server_default="{}")
