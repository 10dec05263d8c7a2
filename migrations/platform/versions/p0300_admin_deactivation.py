"""Platform admins can be deactivated (by another admin, from the console's Admins page).

Revision ID: p0300_admin_deactivation
Revises: p0200_trust_summary
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "p0300_admin_deactivation"
down_revision = "p0200_trust_summary"
branch_labels = None
depends_on = None

SCHEMA = "platform"


def upgrade() -> None:
    # A timestamp, not a flag: the Admins page says since when, and the row (and its audit
    # trail) stays, so a deactivated address can never be quietly reused.
    op.add_column("admins", sa.Column("deactivated_at", sa.DateTime(timezone=True)),
                  schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("admins", "deactivated_at", schema=SCHEMA)
