"""Outbox rows can be withdrawn before sending (a cancelled booking's reminder).

Revision ID: t0300_outbox_withdrawn
Revises: t0200_workspace
Create Date: 2026-11-23
"""

from alembic import op

revision = "t0300_outbox_withdrawn"
down_revision = "t0200_workspace"
branch_labels = None
depends_on = None

OLD = ("'created', 'sending', 'sent', 'delivered', 'temporary_failure', 'permanent_failure'")


def upgrade() -> None:
    op.drop_constraint("ck_notification_outbox_status", "notification_outbox", type_="check")
    op.create_check_constraint("ck_notification_outbox_status", "notification_outbox",
                               f"status IN ({OLD}, 'withdrawn')")


def downgrade() -> None:
    op.drop_constraint("ck_notification_outbox_status", "notification_outbox", type_="check")
    op.create_check_constraint("ck_notification_outbox_status", "notification_outbox",
                               f"status IN ({OLD})")
