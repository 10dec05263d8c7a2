"""Per-trust public summary for the list of trusts on `/`: the cohort windows still to come,
the next drop-ins and the places they are in, written in the same transaction as the trust's
own change (see peerpath/trust_summary.py), so `/` reads one table however many trusts there
are.

Revision ID: p0200_trust_summary
Revises: p0100_admin
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "p0200_trust_summary"
down_revision = "p0100_admin"
branch_labels = None
depends_on = None

SCHEMA = "platform"
APP_ROLE = "peerpath_app"


def upgrade() -> None:
    op.create_table(
        "trust_summaries",
        sa.Column("trust_id", sa.BigInteger(), nullable=False),
        sa.Column("windows", postgresql.DATEMULTIRANGE(), server_default="{}", nullable=False),
        sa.Column("cohorts", postgresql.JSONB(), server_default="[]", nullable=False),
        sa.Column("drop_ins", postgresql.JSONB(), server_default="[]", nullable=False),
        sa.Column("places", sa.Text(), server_default="", nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.ForeignKeyConstraint(["trust_id"], [f"{SCHEMA}.trusts.id"],
                                name="fk_trust_summaries_trust_id_trusts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("trust_id", name="pk_trust_summaries"),
        schema=SCHEMA,
    )
    op.create_index("ix_trust_summaries_windows", "trust_summaries", ["windows"],
                    schema=SCHEMA, postgresql_using="gist")
    # Searching by name or place: lower(display_name) and places are matched with LIKE.
    op.execute(f"CREATE INDEX ix_trusts_lower_display_name ON {SCHEMA}.trusts "
               "(lower(display_name))")
    # The app role writes a trust's summary (only this table) after leaving the trust role.
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {SCHEMA}.trust_summaries TO {APP_ROLE}")


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {SCHEMA}.ix_trusts_lower_display_name")
    op.drop_table("trust_summaries", schema=SCHEMA)
