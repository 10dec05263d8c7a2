"""Coordinator workspace: application notes, interview slots, panels, bookings and records,
completion rules, attendance, placement hours, outcomes and follow-ups, shortlisting reviews.

Revision ID: t0200_workspace
Revises: t0100_applications, t0100_accounts
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "t0200_workspace"
down_revision = ("t0100_applications", "t0100_accounts")  # merges the heads
branch_labels = None
depends_on = None

TABLES = ("shortlist_reviews", "shortlist_finals", "training_outcomes", "training_follow_ups", "training_attendance", "placement_hours",
          "interview_slot_panel", "interview_records", "interview_bookings",
          "application_notes", "interview_slots", "cohort_completion_rules",
          "interview_criteria")


def upgrade() -> None:
    op.create_table('interview_criteria',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_interview_criteria'),
    sa.UniqueConstraint('key', name='uq_interview_criteria_key')
    )
    op.create_table('cohort_completion_rules',
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('min_attendance_percent', sa.Integer(), server_default='80', nullable=False),
    sa.Column('min_placement_hours', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('min_attendance_percent BETWEEN 0 AND 100 AND min_placement_hours >= 0', name='ck_cohort_completion_rules_in_range'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name='fk_cohort_completion_rules_cohort_id_cohorts', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', name='pk_cohort_completion_rules')
    )
    op.create_table('interview_slots',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name='ck_interview_slots_times_in_order'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name='fk_interview_slots_cohort_id_cohorts', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_interview_slots')
    )
    op.create_index('ix_interview_slots_cohort_id', 'interview_slots', ['cohort_id'], unique=False)
    op.create_table('application_notes',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('author', sa.String(length=340), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_application_notes_application_id_applications'),
    sa.PrimaryKeyConstraint('id', name='pk_application_notes')
    )
    op.create_index('ix_application_notes_application_id', 'application_notes', ['application_id'], unique=False)
    op.create_table('interview_bookings',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('slot_id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('adjustments', sa.Text(), nullable=True),
    sa.Column('booked_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_interview_bookings_application_id_applications'),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name='fk_interview_bookings_slot_id_interview_slots'),
    sa.PrimaryKeyConstraint('id', name='pk_interview_bookings'),
    sa.UniqueConstraint('application_id', name='uq_interview_bookings_application_id'),
    sa.UniqueConstraint('slot_id', name='uq_interview_bookings_slot_id')
    )
    op.create_table('interview_records',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('scores', postgresql.JSONB(), server_default='{}', nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=340), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("outcome IN ('recommend', 'reserve', 'not_successful')", name='ck_interview_records_outcome'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_interview_records_application_id_applications'),
    sa.PrimaryKeyConstraint('id', name='pk_interview_records'),
    sa.UniqueConstraint('application_id', name='uq_interview_records_application_id')
    )
    op.create_table('interview_slot_panel',
    sa.Column('slot_id', sa.BigInteger(), nullable=False),
    sa.Column('coordinator_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['coordinators.id'], name='fk_interview_slot_panel_coordinator_id_coordinators', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['interview_slots.id'], name='fk_interview_slot_panel_slot_id_interview_slots', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slot_id', 'coordinator_id', name='pk_interview_slot_panel')
    )
    op.create_index('ix_interview_slot_panel_coordinator_id', 'interview_slot_panel', ['coordinator_id'], unique=False)
    op.create_table('placement_hours',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('recorded_by', sa.String(length=340), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('hours > 0 AND hours <= 24', name='ck_placement_hours_hours'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_placement_hours_application_id_applications'),
    sa.PrimaryKeyConstraint('id', name='pk_placement_hours')
    )
    op.create_index('ix_placement_hours_application_id', 'placement_hours', ['application_id'], unique=False)
    op.create_table('training_attendance',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('training_day_id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=340), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('present', 'absent', 'authorised_absence')", name='ck_training_attendance_status'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_training_attendance_application_id_applications'),
    sa.ForeignKeyConstraint(['training_day_id'], ['training_days.id'], name='fk_training_attendance_training_day_id_training_days', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_training_attendance'),
    sa.UniqueConstraint('training_day_id', 'application_id', name='uq_training_attendance_training_day_id_application_id')
    )
    op.create_index('ix_training_attendance_application_id', 'training_attendance', ['application_id'], unique=False)
    op.create_table('training_follow_ups',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('outbox_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('months IN (3, 6, 12)', name='ck_training_follow_ups_months'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_training_follow_ups_application_id_applications'),
    sa.PrimaryKeyConstraint('id', name='pk_training_follow_ups'),
    sa.UniqueConstraint('application_id', 'months', name='uq_training_follow_ups_application_id_months')
    )
    op.create_index('ix_training_follow_ups_due_on', 'training_follow_ups', ['due_on'], unique=False)
    op.create_table('training_outcomes',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.Column('recorded_by', sa.String(length=340), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('paid_psw_post', 'other_trust_role', 'partner_organisation', 'volunteering', 'not_yet')", name='ck_training_outcomes_kind'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_training_outcomes_application_id_applications'),
    sa.PrimaryKeyConstraint('id', name='pk_training_outcomes'),
    sa.UniqueConstraint('application_id', name='uq_training_outcomes_application_id')
    )
    op.create_table('shortlist_finals',
    sa.Column('cohort_id', sa.BigInteger(), nullable=False),
    sa.Column('finalised_by', sa.String(length=340), nullable=False),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name='fk_shortlist_finals_cohort_id_cohorts', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cohort_id', name='pk_shortlist_finals')
    )
    op.create_table('shortlist_reviews',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('application_id', sa.BigInteger(), nullable=False),
    sa.Column('reviewer_id', sa.BigInteger(), nullable=False),
    sa.Column('recommendation', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("recommendation IN ('shortlist', 'reserve', 'not_shortlisted')", name='ck_shortlist_reviews_recommendation'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name='fk_shortlist_reviews_application_id_applications'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['coordinators.id'], name='fk_shortlist_reviews_reviewer_id_coordinators'),
    sa.PrimaryKeyConstraint('id', name='pk_shortlist_reviews'),
    sa.UniqueConstraint('application_id', 'reviewer_id', name='uq_shortlist_reviews_application_id_reviewer_id')
    )
    op.create_index('ix_shortlist_reviews_application_id', 'shortlist_reviews', ['application_id'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
