"""Erasure may overwrite the free-text reason of an application's history events with
"Erased", and with nothing else (a trigger refuses any other value); the rest of each event
stays append-only for the trust role.

Revision ID: t0400_dp_hooks
Revises: t0300_outbox_withdrawn
Create Date: 2026-11-25
"""

from alembic import op

from tenants.applications.models import ERASE_ONLY_FUNCTION, ERASE_ONLY_TRIGGER

revision = "t0400_dp_hooks"
down_revision = "t0300_outbox_withdrawn"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DO $$ BEGIN EXECUTE format('GRANT UPDATE (reason) ON application_events TO %I', "
               "current_schema() || '_rw'); END $$")
    op.execute(ERASE_ONLY_FUNCTION)
    op.execute(ERASE_ONLY_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER application_events_erase_only ON application_events")
    op.execute("DROP FUNCTION application_events_erase_only()")
    op.execute("DO $$ BEGIN EXECUTE format("
               "'REVOKE UPDATE (reason) ON application_events FROM %I', "
               "current_schema() || '_rw'); END $$")
