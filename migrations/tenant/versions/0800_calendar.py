"""EOI responses and per-trust deadlines: when the team first answered each EOI, the trust's
"respond within" and reply-by windows (one row), and the chasers sent to the team.

Revision ID: t0800_calendar
Revises: t0720_reasons
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0800_calendar"
down_revision = "t0820_form_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("applications", sa.Column("responded_at", sa.DateTime(timezone=True)))
    op.add_column("applications", sa.Column("responded_by", sa.String(340)))
    # What is already decided by a person counts as answered, from its first such move.
    op.execute("""
        UPDATE applications SET (responded_at, responded_by) = (
            SELECT e.at, e.actor FROM application_events e
            WHERE e.application_id = applications.id AND e.actor NOT LIKE 'system%'
              AND e.actor NOT LIKE 'applicant:%'
              AND e.to_stage NOT IN ('interest_registered', 'eoi_submitted')
            ORDER BY e.at, e.id LIMIT 1)
        WHERE submitted_at IS NOT NULL""")
    op.create_table(
        "deadline_settings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("eoi_response_working_days", sa.Integer(), server_default="10",
                  nullable=False),
        sa.Column("reply_working_days", sa.Integer(), server_default="5", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("updated_by", sa.String(340)),
        sa.PrimaryKeyConstraint("id", name="pk_deadline_settings"),
        sa.CheckConstraint("id = 1", name="ck_deadline_settings_single_row"),
        sa.CheckConstraint("eoi_response_working_days BETWEEN 1 AND 30",
                           name="ck_deadline_settings_eoi_response_working_days"),
        sa.CheckConstraint("reply_working_days BETWEEN 2 AND 20",
                           name="ck_deadline_settings_reply_working_days"),
    )
    op.create_table(
        "eoi_chasers",
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("eois", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("due_on", name="pk_eoi_chasers"),
    )


def downgrade() -> None:
    op.drop_table("eoi_chasers")
    op.drop_table("deadline_settings")
    op.drop_column("applications", "responded_by")
    op.drop_column("applications", "responded_at")
