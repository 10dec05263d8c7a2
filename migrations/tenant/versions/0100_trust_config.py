"""Trust configuration: eligibility versions, training days, drop-in sessions and bookings.

Revision ID: t0100_trust_config
Revises: t0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "t0100_trust_config"
down_revision = "t0003"
branch_labels = None
depends_on = None


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "eligibility_versions",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("questions", postgresql.JSONB(), nullable=False),
        sa.Column("rule_set", postgresql.JSONB(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("created_by_id", sa.BigInteger()),
        _created_at(),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_eligibility_versions"),
        sa.UniqueConstraint("number", name="uq_eligibility_versions_number"),
        sa.ForeignKeyConstraint(["created_by_id"], ["coordinators.id"],
                                name="fk_eligibility_versions_created_by_id_coordinators"),
        sa.CheckConstraint("number > 0", name="ck_eligibility_versions_number_positive"),
    )
    op.create_table(
        "training_days",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("cohort_id", sa.BigInteger(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(20), server_default="classroom", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_training_days"),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], ondelete="CASCADE",
                                name="fk_training_days_cohort_id_cohorts"),
        sa.UniqueConstraint("cohort_id", "on_date", name="uq_training_days_cohort_id_on_date"),
        sa.CheckConstraint("starts_at < ends_at", name="ck_training_days_times_in_order"),
        sa.CheckConstraint("kind IN ('classroom', 'placement')", name="ck_training_days_kind"),
    )
    op.create_table(
        "info_sessions",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("ends_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(300)),
        sa.Column("online_url", sa.String(500)),
        sa.Column("capacity", sa.Integer()),
        sa.Column("access_notes", sa.Text()),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_info_sessions"),
        sa.CheckConstraint("starts_at < ends_at", name="ck_info_sessions_times_in_order"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="ck_info_sessions_capacity"),
        sa.CheckConstraint("place IS NOT NULL OR online_url IS NOT NULL",
                           name="ck_info_sessions_somewhere"),
    )
    op.create_index("ix_info_sessions_on_date", "info_sessions", ["on_date"])
    op.create_table(
        "info_session_bookings",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("info_session_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("phone", sa.String(40)),
        sa.Column("access_needs", sa.Text()),
        sa.Column("attended", sa.Boolean()),
        _created_at(),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_info_session_bookings"),
        sa.ForeignKeyConstraint(["info_session_id"], ["info_sessions.id"],
                                name="fk_info_session_bookings_info_session_id_info_sessions"),
        sa.CheckConstraint("email IS NOT NULL OR phone IS NOT NULL",
                           name="ck_info_session_bookings_contact"),
    )
    op.create_index("ix_info_session_bookings_info_session_id", "info_session_bookings",
                    ["info_session_id"])
    op.create_index("uq_info_session_bookings_email", "info_session_bookings",
                    ["info_session_id", sa.text("lower(email)")], unique=True,
                    postgresql_where=sa.text("cancelled_at IS NULL AND email IS NOT NULL"))
    op.create_index("uq_info_session_bookings_phone", "info_session_bookings",
                    ["info_session_id", "phone"], unique=True,
                    postgresql_where=sa.text("cancelled_at IS NULL AND phone IS NOT NULL"))


def downgrade() -> None:
    op.drop_table("info_session_bookings")
    op.drop_table("info_sessions")
    op.drop_table("training_days")
    op.drop_table("eligibility_versions")
