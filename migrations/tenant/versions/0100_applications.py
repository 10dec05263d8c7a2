"""Applicants, applications, their history, equality monitoring, sign-in links, crisis lines.

Revision ID: t0100_applications
Revises: t0100_trust_config, t0100_notifications, t0100_data_protection
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from peerpath.migrate import make_append_only

revision = "t0100_applications"
down_revision = ("t0100_trust_config", "t0100_notifications",  # merges the heads
                 "t0100_data_protection")
branch_labels = None
depends_on = None

STAGES = ("'interest_registered', 'eoi_submitted', 'eligibility_checked', 'shortlisted', "
          "'interview_invited', 'interview_booked', 'interviewed', 'place_offered', "
          "'place_accepted', 'in_training', 'completed', 'outcome_recorded', 'not_eligible', "
          "'not_shortlisted', 'not_successful', 'withdrawn', 'deferred', 'waiting_list'")


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "applicants",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("communication_needs", sa.Text()),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_applicants"),
    )
    op.create_index("uq_applicants_email", "applicants", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "applications",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("applicant_id", sa.BigInteger(), nullable=False),
        sa.Column("cohort_id", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(30), server_default="interest_registered", nullable=False),
        sa.Column("answers", sa.Text()),
        sa.Column("current_step", sa.String(80)),
        sa.Column("rule_set_version_id", sa.BigInteger()),
        sa.Column("eligibility_outcome", sa.String(20)),
        sa.Column("eligibility_results", postgresql.JSONB()),
        sa.Column("disability_confident", sa.Boolean()),
        sa.Column("channel", sa.String(10), server_default="online", nullable=False),
        sa.Column("entered_by", sa.String(340)),
        sa.Column("consent_recorded", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicants.id"], name="fk_applications_applicant_id_applicants"),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohorts.id"], name="fk_applications_cohort_id_cohorts"),
        sa.UniqueConstraint("reference", name="uq_applications_reference"),
        sa.UniqueConstraint("applicant_id", "cohort_id", name="uq_applications_applicant_id_cohort_id"),
        sa.CheckConstraint(f"stage IN ({STAGES})", name="ck_applications_stage"),
        sa.CheckConstraint("channel IN ('online', 'paper', 'email', 'phone')", name="ck_applications_channel"),
        sa.CheckConstraint("eligibility_outcome IN ('eligible', 'not_eligible', 'needs_review')",
                           name="ck_applications_eligibility_outcome"),
    )
    op.create_index("ix_applications_applicant_id", "applications", ["applicant_id"])
    op.create_index("ix_applications_cohort_id", "applications", ["cohort_id"])
    op.create_index("ix_applications_stage", "applications", ["stage"])
    op.create_index("ix_applications_eligibility_outcome", "applications", ["eligibility_outcome"])
    op.create_table(
        "application_events",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(340), nullable=False),
        sa.Column("from_stage", sa.String(30)),
        sa.Column("to_stage", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_application_events"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_application_events_application_id_applications"),
    )
    op.create_index("ix_application_events_application_id", "application_events", ["application_id"])
    make_append_only(op, "application_events")
    op.create_table(
        "equality_monitoring",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_equality_monitoring"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_equality_monitoring_application_id_applications"),
        sa.UniqueConstraint("application_id", name="uq_equality_monitoring_application_id"),
    )
    op.create_table(
        "applicant_sign_in_links",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("applicant_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("application_id", sa.BigInteger()),
        _created_at(),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_applicant_sign_in_links"),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicants.id"],
                                name="fk_applicant_sign_in_links_applicant_id_applicants"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_applicant_sign_in_links_application_id_applications"),
        sa.UniqueConstraint("token_hash", name="uq_applicant_sign_in_links_token_hash"),
        sa.CheckConstraint("purpose IN ('sign_in', 'continue')", name="ck_applicant_sign_in_links_purpose"),
    )
    op.create_index("ix_applicant_sign_in_links_applicant_id", "applicant_sign_in_links", ["applicant_id"])
    op.create_table(
        "crisis_lines",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crisis_lines"),
    )


def downgrade() -> None:
    for table in ("crisis_lines", "applicant_sign_in_links", "equality_monitoring",
                  "application_events", "applications", "applicants"):
        op.drop_table(table)
