"""Coordinators and the audit trail.

Revision ID: t0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from peerpath.migrate import make_append_only

revision = "t0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coordinators",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("totp_secret", sa.Text()),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_coordinators"),
    )
    op.create_index("uq_coordinators_email", "coordinators", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(340), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("record_type", sa.String(60)),
        sa.Column("record_id", sa.String(60)),
        sa.Column("ip", postgresql.INET()),
        sa.Column("detail", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    make_append_only(op, "audit_events")


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("coordinators")
