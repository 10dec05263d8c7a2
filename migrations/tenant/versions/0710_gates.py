"""Reply-by deadlines: the last day to answer an interview invitation or a place offer.

Revision ID: t0710_gates
Revises: t0630_channels
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0710_gates"
down_revision = "t0740_trustpage"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("reply_by", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("applications", "reply_by")
