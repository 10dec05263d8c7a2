"""Teams and partners, their posts, completers' work preferences and candidacies for posts
(interest, interview, placement).

Revision ID: t0670_posts
Revises: t0630_channels
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0670_posts"
down_revision = "t0630_channels"  # chained after main's t0630 when main was merged in
branch_labels = None
depends_on = None

NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("locality", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=30), server_default="trust_team", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW,
                  nullable=False),
        sa.CheckConstraint("kind IN ('trust_team', 'partner_organisation', 'volunteering')",
                           name="ck_teams_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "posts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), server_default="psw", nullable=False),
        sa.Column("hours_per_week", sa.Numeric(4, 1), nullable=True),
        sa.Column("band", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=12), server_default="planned", nullable=False),
        sa.Column("advert_url", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW,
                  nullable=False),
        sa.CheckConstraint("role IN ('psw', 'other')", name="ck_posts_role"),
        sa.CheckConstraint("status IN ('planned', 'advertised', 'filled', 'closed')",
                           name="ck_posts_status"),
        sa.CheckConstraint("hours_per_week > 0 AND hours_per_week <= 80",
                           name="ck_posts_hours_per_week"),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_posts_team_id_teams"),
        sa.PrimaryKeyConstraint("id", name="pk_posts"),
    )
    op.create_index("ix_posts_team_id", "posts", ["team_id"])
    op.create_index("ix_posts_status", "posts", ["status"])
    op.create_table(
        "work_preferences",
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("wants_work", sa.Boolean(), nullable=False),
        sa.Column("locality", sa.String(length=120), nullable=True),
        sa.Column("max_hours_per_week", sa.Numeric(4, 1), nullable=True),
        sa.Column("updated_by", sa.String(length=340), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW,
                  nullable=False),
        sa.CheckConstraint("max_hours_per_week > 0 AND max_hours_per_week <= 80",
                           name="ck_work_preferences_max_hours_per_week"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_work_preferences_application_id_applications"),
        sa.PrimaryKeyConstraint("application_id", name="pk_work_preferences"),
    )
    op.create_table(
        "post_candidacies",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("post_id", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="interested",
                  nullable=False),
        sa.Column("interview_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("placed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=340), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW,
                  nullable=False),
        sa.CheckConstraint("status IN ('interested', 'interviewing', 'placed', 'not_placed')",
                           name="ck_post_candidacies_status"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"],
                                name="fk_post_candidacies_post_id_posts"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_post_candidacies_application_id_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_post_candidacies"),
        sa.UniqueConstraint("post_id", "application_id",
                            name="uq_post_candidacies_post_id_application_id"),
    )
    op.create_index("ix_post_candidacies_post_id", "post_candidacies", ["post_id"])
    op.create_index("ix_post_candidacies_application_id", "post_candidacies",
                    ["application_id"])


def downgrade() -> None:
    for table in ("post_candidacies", "work_preferences", "posts", "teams"):
        op.drop_table(table)
