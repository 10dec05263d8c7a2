"""The trust's own page: its editable blocks (one row), and consented stories of past
trainees with an optional photo.

Revision ID: t0740_trustpage
Revises: t0630_channels
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0740_trustpage"
down_revision = "t0670_posts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_page",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("about", sa.Text(), nullable=True),
        sa.Column("who_for", sa.Text(), nullable=True),
        sa.Column("after_applying", sa.Text(), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("postal_deadline", sa.Date(), nullable=True),
        sa.Column("places_limited", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("course_is_free", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("disability_confident", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("contact_role", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.CheckConstraint("id = 1", name="ck_trust_page_one_row"),
        sa.PrimaryKeyConstraint("id", name="pk_trust_page"),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("role_title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("photo_type", sa.String(20), nullable=True),
        sa.Column("photo_alt", sa.String(300), nullable=True),
        sa.Column("consent_given_on", sa.Date(), nullable=False),
        sa.Column("consent_recorded_by", sa.String(340), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.CheckConstraint("photo IS NULL OR (photo_type IN ('image/jpeg', 'image/png') AND "
                           "photo_alt IS NOT NULL)", name="ck_stories_photo_described"),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )


def downgrade() -> None:
    op.drop_table("stories")
    op.drop_table("trust_page")
