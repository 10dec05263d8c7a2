"""Outcomes become a history (one row per thing heard, never overwritten), and a follow-up
answered by the applicant carries their hours and whether they want support.

Revision ID: t0610_applicant
Revises: t0500_privacy_version
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0610_applicant"
down_revision = "t0500_privacy_version"
branch_labels = None
depends_on = None

OLD_KINDS = ("'paid_psw_post', 'other_trust_role', 'partner_organisation', 'volunteering', "
             "'not_yet'")
NEW_KINDS = ("'paid_psw_post', 'other_trust_role', 'partner_organisation', 'volunteering', "
             "'studying', 'not_yet', 'something_else'")


def upgrade() -> None:
    op.drop_constraint("uq_training_outcomes_application_id", "training_outcomes",
                       type_="unique")
    op.create_index("ix_training_outcomes_application_id", "training_outcomes",
                    ["application_id"])
    op.add_column("training_outcomes", sa.Column("hours_per_week", sa.Numeric(4, 1),
                                                 nullable=True))
    op.add_column("training_outcomes", sa.Column("wants_support", sa.Boolean(), nullable=True))
    op.add_column("training_outcomes", sa.Column("follow_up_id", sa.BigInteger(),
                                                 nullable=True))
    op.create_foreign_key("fk_training_outcomes_follow_up_id_training_follow_ups",
                          "training_outcomes", "training_follow_ups", ["follow_up_id"], ["id"],
                          ondelete="SET NULL")
    op.create_check_constraint("ck_training_outcomes_hours_per_week", "training_outcomes",
                               "hours_per_week > 0 AND hours_per_week <= 80")
    op.drop_constraint("ck_training_outcomes_kind", "training_outcomes", type_="check")
    op.create_check_constraint("ck_training_outcomes_kind", "training_outcomes",
                               f"kind IN ({NEW_KINDS})")


def downgrade() -> None:
    # Going back keeps only the newest outcome of each application (the old shape holds one).
    op.execute("DELETE FROM training_outcomes o USING training_outcomes n "
               "WHERE n.application_id = o.application_id AND n.id > o.id")
    # The old kinds have no "studying" or "something else": the nearest old one is "not yet".
    op.execute("UPDATE training_outcomes SET kind = 'not_yet' "
               "WHERE kind IN ('studying', 'something_else')")
    op.drop_constraint("ck_training_outcomes_kind", "training_outcomes", type_="check")
    op.create_check_constraint("ck_training_outcomes_kind", "training_outcomes",
                               f"kind IN ({OLD_KINDS})")
    op.drop_constraint("ck_training_outcomes_hours_per_week", "training_outcomes",
                       type_="check")
    op.drop_constraint("fk_training_outcomes_follow_up_id_training_follow_ups",
                       "training_outcomes", type_="foreignkey")
    for column in ("follow_up_id", "wants_support", "hours_per_week"):
        op.drop_column("training_outcomes", column)
    op.drop_index("ix_training_outcomes_application_id", "training_outcomes")
    op.create_unique_constraint("uq_training_outcomes_application_id", "training_outcomes",
                                ["application_id"])
