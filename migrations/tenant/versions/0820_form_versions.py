"""An EOI is pinned to the form version it is answered on.

``applications.rule_set_version_id`` now refers to ``eligibility_versions`` (so a version an
EOI was answered on can never be deleted), and EOIs in progress, which until now followed
whichever version was live, are pinned to the version live now: the one they have been
walking. A live version's questions and rules can no longer be changed, nor the version
deleted (a trigger refuses it, for every role).

Revision ID: t0820_form_versions
Revises: t0720_reasons
Create Date: 2026-12-03
"""

from alembic import op

from tenants.eligibility.models import LIVE_UNCHANGED_FUNCTION, LIVE_UNCHANGED_TRIGGER

revision = "t0820_form_versions"
down_revision = "t0810_conditions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        UPDATE applications SET rule_set_version_id = (
            SELECT id FROM eligibility_versions WHERE published_at IS NOT NULL
            ORDER BY published_at DESC, number DESC LIMIT 1)
        WHERE stage = 'interest_registered' AND rule_set_version_id IS NULL""")
    op.create_foreign_key("fk_applications_rule_set_version_id_eligibility_versions",
                          "applications", "eligibility_versions", ["rule_set_version_id"],
                          ["id"])
    op.execute(LIVE_UNCHANGED_FUNCTION)
    op.execute(LIVE_UNCHANGED_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER eligibility_versions_live_unchanged ON eligibility_versions")
    op.execute("DROP FUNCTION eligibility_versions_live_unchanged()")
    op.drop_constraint("fk_applications_rule_set_version_id_eligibility_versions",
                       "applications", type_="foreignkey")
