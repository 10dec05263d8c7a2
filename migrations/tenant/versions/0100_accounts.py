"""Coordinator accounts: two-factor enrolment time, recovery codes, invitations.

Revision ID: t0100_accounts
Revises: t0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "t0100_accounts"
down_revision = "t0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("coordinators", sa.Column("totp_enrolled_at", sa.DateTime(timezone=True)))
    op.create_table(
        "coordinator_recovery_codes",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("coordinator_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_coordinator_recovery_codes"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinators.id"], ondelete="CASCADE",
                                name="fk_coordinator_recovery_codes_coordinator_id_coordinators"),
    )
    op.create_index("ix_coordinator_recovery_codes_coordinator_id",
                    "coordinator_recovery_codes", ["coordinator_id"])
    op.create_table(
        "coordinator_invitations",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("coordinator_id", sa.BigInteger(), nullable=False),
        sa.Column("invited_by", sa.BigInteger()),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_coordinator_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_coordinator_invitations_token_hash"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinators.id"], ondelete="CASCADE",
                                name="fk_coordinator_invitations_coordinator_id_coordinators"),
        sa.ForeignKeyConstraint(["invited_by"], ["coordinators.id"],
                                name="fk_coordinator_invitations_invited_by_coordinators"),
    )
    op.create_index("ix_coordinator_invitations_coordinator_id",
                    "coordinator_invitations", ["coordinator_id"])


def downgrade() -> None:
    op.drop_table("coordinator_invitations")
    op.drop_table("coordinator_recovery_codes")
    op.drop_column("coordinators", "totp_enrolled_at")
