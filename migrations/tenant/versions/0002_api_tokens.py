"""Personal API tokens.

Revision ID: t0002
Revises: t0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "t0002"
down_revision = "t0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("coordinator_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinators.id"],
                                name="fk_api_tokens_coordinator_id_coordinators"),
    )
    op.create_index("ix_api_tokens_coordinator_id", "api_tokens", ["coordinator_id"])


def downgrade() -> None:
    op.drop_table("api_tokens")
