"""Courses and cohorts.

Revision ID: t0003
Revises: t0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "t0003"
down_revision = "t0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("length_weeks", sa.Integer(), nullable=False),
        sa.Column("training_days", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("locations", postgresql.ARRAY(sa.String(300)), server_default="{}", nullable=False),
        sa.Column("leads_to", sa.Text()),
        sa.Column("description", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_courses"),
        sa.CheckConstraint("length_weeks > 0 AND training_days > 0", name="ck_courses_positive"),
        sa.CheckConstraint("format IN ('classroom', 'placement', 'mixed')", name="ck_courses_format"),
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("course_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("eoi_opens_on", sa.Date(), nullable=False),
        sa.Column("eoi_closes_on", sa.Date(), nullable=False),
        sa.Column("shortlisting_week_of", sa.Date()),
        sa.Column("interview_week_of", sa.Date()),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("posts_advertised", sa.String(200)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cohorts"),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name="fk_cohorts_course_id_courses"),
        sa.CheckConstraint("capacity > 0", name="ck_cohorts_capacity"),
        sa.CheckConstraint("eoi_opens_on <= eoi_closes_on AND eoi_closes_on <= starts_on",
                           name="ck_cohorts_dates_in_order"),
    )
    op.create_index("ix_cohorts_course_id", "cohorts", ["course_id"])


def downgrade() -> None:
    op.drop_table("cohorts")
    op.drop_table("courses")
