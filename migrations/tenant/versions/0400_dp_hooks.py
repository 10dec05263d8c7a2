"""Erasure may overwrite the free-text reason of an application's history events (the rest
of each event stays append-only for the trust role).

Revision ID: t0400_dp_hooks
Revises: t0300_outbox_withdrawn
Create Date: 2026-11-25
"""

from alembic import op

revision = "t0400_dp_hooks"
down_revision = "t0300_outbox_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DO $$ BEGIN EXECUTE format('GRANT UPDATE (reason) ON application_events TO %I', "
               "current_schema() || '_rw'); END $$")


def downgrade() -> None:
    op.execute("DO $$ BEGIN EXECUTE format("
               "'REVOKE UPDATE (reason) ON application_events FROM %I', "
               "current_schema() || '_rw'); END $$")
