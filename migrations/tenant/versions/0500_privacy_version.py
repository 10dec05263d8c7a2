"""Each application records the privacy notice version in force when the EOI was sent.

Revision ID: t0500_privacy_version
Revises: t0400_dp_hooks
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "t0500_privacy_version"
down_revision = "t0400_dp_hooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("privacy_notice_version", sa.Integer(),
                                            nullable=True))


def downgrade() -> None:
    op.drop_column("applications", "privacy_notice_version")
