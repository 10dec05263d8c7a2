"""Data protection: data keys, privacy notices, retention rules and runs, erasure records.

Revision ID: t0100_data_protection
Revises: t0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from peerpath.migrate import make_append_only

revision = "t0100_data_protection"
down_revision = "t0003"
branch_labels = None
depends_on = None


def _created_at(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "data_keys",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_data_keys"),
    )
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _created_at("published_at"),
        sa.Column("published_by", sa.String(340), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_privacy_notices"),
        sa.UniqueConstraint("version", name="uq_privacy_notices_version"),
    )
    op.create_table(
        "retention_rules",
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("months", sa.Integer()),
        _created_at("updated_at"),
        sa.Column("updated_by", sa.String(340), nullable=False),
        sa.PrimaryKeyConstraint("category", name="pk_retention_rules"),
    )
    op.create_table(
        "retention_runs",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        _created_at("finished_at"),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(340), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("counts", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("errors", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_retention_runs"),
    )
    op.create_table(
        "erasure_records",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("subject_ref", sa.String(60), nullable=False),
        _created_at("erased_at"),
        sa.Column("erased_by", sa.String(340), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("kept", sa.Text()),
        sa.Column("counts", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_erasure_records"),
    )
    op.create_index("ix_erasure_records_subject_ref", "erasure_records", ["subject_ref"])
    for table in ("privacy_notices", "retention_runs", "erasure_records"):
        make_append_only(op, table)


def downgrade() -> None:
    for table in ("erasure_records", "retention_runs", "retention_rules", "privacy_notices",
                  "data_keys"):
        op.drop_table(table)
