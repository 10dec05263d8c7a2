"""Conditions before training (the trust's list, each place's conditions, a lead's override)
and deferred places (linking the cohort left and the cohort the place is reinstated in).
Existing trusts get the default conditions.

Revision ID: t0810_conditions
Revises: t0720_reasons
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0810_conditions"
down_revision = "t0830_where_heard"
branch_labels = None
depends_on = None


def _now():
    return sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "conditions",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("waiting_for", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(),
                  nullable=False),
        sa.Column("created_by", sa.String(length=340), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_conditions"),
    )
    op.create_table(
        "place_conditions",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("condition_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="pending", nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), server_default=_now(),
                  nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(length=340), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'met', 'not_met')",
                           name="ck_place_conditions_status"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_place_conditions_application_id_applications"),
        sa.ForeignKeyConstraint(["condition_id"], ["conditions.id"],
                                name="fk_place_conditions_condition_id_conditions"),
        sa.PrimaryKeyConstraint("id", name="pk_place_conditions"),
        sa.UniqueConstraint("application_id", "condition_id",
                            name="uq_place_conditions_application_id_condition_id"),
    )
    op.create_index("ix_place_conditions_application_id", "place_conditions",
                    ["application_id"])
    op.create_table(
        "place_condition_overrides",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("overridden_by", sa.String(length=340), nullable=False),
        sa.Column("overridden_at", sa.DateTime(timezone=True), server_default=_now(),
                  nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"],
            name="fk_place_condition_overrides_application_id_applications"),
        sa.PrimaryKeyConstraint("id", name="pk_place_condition_overrides"),
    )
    op.create_index("ix_place_condition_overrides_application_id",
                    "place_condition_overrides", ["application_id"])
    op.create_table(
        "place_deferrals",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("from_cohort_id", sa.BigInteger(), nullable=False),
        sa.Column("to_cohort_id", sa.BigInteger(), nullable=True),
        sa.Column("stage_held", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("by_applicant", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("deferred_by", sa.String(length=340), nullable=False),
        sa.Column("deferred_at", sa.DateTime(timezone=True), server_default=_now(),
                  nullable=False),
        sa.Column("reinstated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("stage_held IN ('place_offered', 'place_accepted')",
                           name="ck_place_deferrals_stage_held"),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name="fk_place_deferrals_application_id_applications"),
        sa.ForeignKeyConstraint(["from_cohort_id"], ["cohorts.id"],
                                name="fk_place_deferrals_from_cohort_id_cohorts"),
        sa.ForeignKeyConstraint(["to_cohort_id"], ["cohorts.id"],
                                name="fk_place_deferrals_to_cohort_id_cohorts"),
        sa.PrimaryKeyConstraint("id", name="pk_place_deferrals"),
    )
    op.create_index("ix_place_deferrals_application_id", "place_deferrals",
                    ["application_id"])
    op.create_index("ix_place_deferrals_to_cohort_id", "place_deferrals", ["to_cohort_id"])
    from tenants.conditions.defaults import DEFAULT_CONDITIONS

    conditions = sa.table("conditions", sa.column("key"), sa.column("label"),
                          sa.column("waiting_for"), sa.column("position"),
                          sa.column("created_by"))
    op.bulk_insert(conditions, [
        {"key": key, "label": label, "waiting_for": waiting_for, "position": position,
         "created_by": "system"}
        for position, (key, label, waiting_for) in enumerate(DEFAULT_CONDITIONS, start=1)])


def downgrade() -> None:
    op.drop_table("place_deferrals")
    op.drop_table("place_condition_overrides")
    op.drop_table("place_conditions")
    op.drop_table("conditions")
