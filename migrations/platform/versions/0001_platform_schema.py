"""The platform schema: trust registry, platform admins, platform audit log.

Revision ID: p0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "p0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "platform"
APP_ROLE = "peerpath_app"


def upgrade() -> None:
    op.create_table(
        "trusts",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("slug", sa.String(41), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("schema_name", sa.String(63), nullable=False),
        sa.Column("role_name", sa.String(63), nullable=False),
        sa.Column("status", sa.String(20), server_default="active", nullable=False),
        sa.Column("hosts", postgresql.ARRAY(sa.String(253)), server_default="{}", nullable=False),
        sa.Column("contact_email", sa.String(320)),
        sa.Column("contact_phone", sa.String(40)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_trusts"),
        sa.UniqueConstraint("slug", name="uq_trusts_slug"),
        sa.UniqueConstraint("schema_name", name="uq_trusts_schema_name"),
        sa.UniqueConstraint("role_name", name="uq_trusts_role_name"),
        sa.CheckConstraint("status IN ('active', 'suspended', 'offboarded')", name="ck_trusts_status"),
        schema=SCHEMA,
    )
    op.create_index("ix_trusts_hosts", "trusts", ["hosts"], postgresql_using="gin", schema=SCHEMA)
    op.create_table(
        "admins",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("totp_secret", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_admins"),
        sa.UniqueConstraint("email", name="uq_admins_email"),
        schema=SCHEMA,
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("target", sa.String(200)),
        sa.Column("ip", postgresql.INET()),
        sa.Column("detail", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        schema=SCHEMA,
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], schema=SCHEMA)
    # The app login role reads the registry and runs the console; the audit log is
    # append-only for it.
    op.execute(f'GRANT USAGE ON SCHEMA {SCHEMA} TO {APP_ROLE}')
    op.execute(f'GRANT SELECT, INSERT, UPDATE ON {SCHEMA}.trusts, {SCHEMA}.admins TO {APP_ROLE}')
    op.execute(f'GRANT SELECT, INSERT ON {SCHEMA}.audit_log TO {APP_ROLE}')
    op.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {APP_ROLE}')


def downgrade() -> None:
    op.drop_table("audit_log", schema=SCHEMA)
    op.drop_table("admins", schema=SCHEMA)
    op.drop_table("trusts", schema=SCHEMA)
