"""Notifications: outbox, delivery events, message templates, provider settings.

Revision ID: t0100_notifications
Revises: t0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from peerpath.migrate import make_append_only

revision = "t0100_notifications"
down_revision = "t0003"
branch_labels = None
depends_on = None

NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("template_key", sa.String(60), nullable=False),
        sa.Column("variant", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), server_default="created", nullable=False),
        sa.Column("recipient_email", sa.String(320)),
        sa.Column("recipient_phone", sa.String(40)),
        sa.Column("sms_allowed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("subject", sa.String(300)),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text()),
        sa.Column("sms_text", sa.Text()),
        sa.Column("attachments", postgresql.JSONB(), server_default="[]", nullable=False),
        sa.Column("related_type", sa.String(40)),
        sa.Column("related_id", sa.String(60)),
        sa.Column("fallback_of", sa.BigInteger()),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True)),
        sa.Column("claim_token", sa.String(32)),
        sa.Column("provider", sa.String(20)),
        sa.Column("provider_ref", sa.String(100)),
        sa.Column("last_error", sa.String(300)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_notification_outbox"),
        sa.ForeignKeyConstraint(["fallback_of"], ["notification_outbox.id"],
                                name="fk_notification_outbox_fallback_of_notification_outbox"),
        sa.CheckConstraint("status IN ('created', 'sending', 'sent', 'delivered', "
                           "'temporary_failure', 'permanent_failure')",
                           name="ck_notification_outbox_status"),
        sa.CheckConstraint("channel IN ('email', 'sms')", name="ck_notification_outbox_channel"),
    )
    op.create_index("ix_notification_outbox_due", "notification_outbox", ["next_attempt_at"],
                    postgresql_where=sa.text(
                        "status IN ('created', 'sending', 'temporary_failure')"))
    op.create_index("ix_notification_outbox_related", "notification_outbox",
                    ["related_type", "related_id"])
    op.create_index("ix_notification_outbox_status", "notification_outbox", ["status", "id"])

    op.create_table(
        "notification_events",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("outbox_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(300)),
        sa.PrimaryKeyConstraint("id", name="pk_notification_events"),
        sa.ForeignKeyConstraint(["outbox_id"], ["notification_outbox.id"],
                                name="fk_notification_events_outbox_id_notification_outbox"),
    )
    op.create_index("ix_notification_events_outbox_id", "notification_events", ["outbox_id"])
    make_append_only(op, "notification_events")

    op.create_table(
        "notification_templates",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("variant", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text()),
        sa.Column("sms_text", sa.Text()),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_by", sa.String(340)),
        sa.PrimaryKeyConstraint("id", name="pk_notification_templates"),
        sa.UniqueConstraint("key", "variant", name="uq_notification_templates_key_variant"),
        sa.CheckConstraint("variant IN ('standard', 'easy_read')",
                           name="ck_notification_templates_variant"),
    )

    op.create_table(
        "notification_settings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("email_provider", sa.String(20), server_default="smtp", nullable=False),
        sa.Column("sms_provider", sa.String(20), server_default="none", nullable=False),
        sa.Column("notify_api_key_sealed", sa.Text()),
        sa.Column("notify_email_template_id", sa.String(36)),
        sa.Column("notify_sms_template_id", sa.String(36)),
        sa.Column("callback_token_hash", sa.String(64)),
        sa.Column("quiet_hours_start", sa.Time(), server_default="21:00", nullable=False),
        sa.Column("quiet_hours_end", sa.Time(), server_default="08:00", nullable=False),
        sa.Column("sms_fallback", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notification_settings"),
        sa.CheckConstraint("id = 1", name="ck_notification_settings_single_row"),
        sa.CheckConstraint("email_provider IN ('smtp', 'notify')",
                           name="ck_notification_settings_email_provider"),
        sa.CheckConstraint("sms_provider IN ('none', 'notify')",
                           name="ck_notification_settings_sms_provider"),
    )


def downgrade() -> None:
    op.drop_table("notification_settings")
    op.drop_table("notification_templates")
    op.drop_table("notification_events")
    op.drop_table("notification_outbox")
