"""People without e-mail: applicants may have no e-mail address but a postal address;
the outbox has letter and phone-call channels (worked by coordinators, not the worker) and
keeps a letter's address; the trust's own address for the top of letters.

Revision ID: t0630_channels
Revises: t0500_privacy_version
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0630_channels"
down_revision = "t0610_applicant"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("applicants", "email", existing_type=sa.String(320), nullable=True)
    op.add_column("applicants", sa.Column("postal_address", sa.Text(), nullable=True))
    op.add_column("notification_outbox", sa.Column("recipient_address", sa.Text(),
                                                   nullable=True))
    op.drop_constraint("ck_notification_outbox_channel", "notification_outbox", type_="check")
    op.create_check_constraint("ck_notification_outbox_channel", "notification_outbox",
                               "channel IN ('email', 'sms', 'letter', 'phone')")
    op.add_column("notification_settings", sa.Column("letter_address", sa.Text(),
                                                     nullable=True))


def downgrade() -> None:
    op.drop_column("notification_settings", "letter_address")
    op.execute("DELETE FROM notification_events WHERE outbox_id IN (SELECT id FROM "
               "notification_outbox WHERE channel IN ('letter', 'phone'))")
    op.execute("DELETE FROM notification_outbox WHERE channel IN ('letter', 'phone')")
    op.drop_constraint("ck_notification_outbox_channel", "notification_outbox", type_="check")
    op.create_check_constraint("ck_notification_outbox_channel", "notification_outbox",
                               "channel IN ('email', 'sms')")
    op.drop_column("notification_outbox", "recipient_address")
    op.drop_column("applicants", "postal_address")
    op.execute("DELETE FROM applicants WHERE email IS NULL")
    op.alter_column("applicants", "email", existing_type=sa.String(320), nullable=False)
