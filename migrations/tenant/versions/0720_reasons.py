"""Structured reasons for decisions (versioned, retired not deleted), the reason chosen on
each history row, applicants' requests for a conversation, and per-person permissions
(grants) beside each coordinator's role. Existing trusts get the default reasons.

Revision ID: t0720_reasons
Revises: t0630_channels
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "t0720_reasons"
down_revision = "t0710_gates"
branch_labels = None
depends_on = None

# A copy of tenants.coordinators.models.ALL_GRANTS_SQL (the column default).
ALL_GRANTS_SQL = ("'[\"make_decisions\", \"set_up_interviews\", \"view_sensitive\", "
                  "\"view_equality\", \"manage_team\"]'::jsonb")


def upgrade() -> None:
    op.create_table(
        "decision_reasons",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("feedback", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("created_by", sa.String(length=340), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('not_eligible', 'not_shortlisted', 'not_successful', "
                           "'withdrawn')", name="ck_decision_reasons_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_decision_reasons"),
    )
    op.create_index("ix_decision_reasons_kind", "decision_reasons", ["kind"])
    op.add_column("application_events", sa.Column("reason_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key("fk_application_events_reason_id_decision_reasons",
                          "application_events", "decision_reasons", ["reason_id"], ["id"])
    op.create_index("ix_application_events_reason_id", "application_events", ["reason_id"])
    op.create_table(
        "conversation_requests",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=340), nullable=True),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_conversation_requests_application_id_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_requests"),
    )
    op.create_index("ix_conversation_requests_application_id", "conversation_requests",
                    ["application_id"])
    op.add_column("coordinators", sa.Column("grants", JSONB(), nullable=False,
                                            server_default=sa.text(ALL_GRANTS_SQL)))
    from tenants.reasons.defaults import DEFAULT_REASONS

    reasons = sa.table("decision_reasons", sa.column("kind"), sa.column("key"),
                       sa.column("label"), sa.column("feedback"), sa.column("position"),
                       sa.column("created_by"))
    op.bulk_insert(reasons, [
        {"kind": kind, "key": key, "label": label, "feedback": feedback,
         "position": position, "created_by": "system"}
        for kind, rows in DEFAULT_REASONS.items()
        for position, (key, label, feedback) in enumerate(rows, start=1)])


def downgrade() -> None:
    op.drop_column("coordinators", "grants")
    op.drop_table("conversation_requests")
    op.drop_index("ix_application_events_reason_id", "application_events")
    op.drop_constraint("fk_application_events_reason_id_decision_reasons",
                       "application_events", type_="foreignkey")
    op.drop_column("application_events", "reason_id")
    op.drop_table("decision_reasons")
