"""Where the applicant heard of the programme: one choice on every application (asked by
the platform's EOI step, entered by coordinators for paper and phone EOIs), for the
reports' funnel by where people heard.

Revision ID: t0830_where_heard
Revises: t0720_reasons
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "t0830_where_heard"
down_revision = "t0720_reasons"
branch_labels = None
depends_on = None

# A copy of tenants.applications.models.HEARD_VIA (the check constraint).
HEARD_VIA = ("drop_in", "recovery_college", "care_team", "poster_leaflet", "social_media",
             "nhs_website", "friend_family", "other")


def upgrade() -> None:
    op.add_column("applications", sa.Column("heard_via", sa.String(length=20), nullable=True))
    op.create_check_constraint(
        "ck_applications_heard_via", "applications",
        "heard_via IN (" + ", ".join(f"'{value}'" for value in HEARD_VIA) + ")")


def downgrade() -> None:
    op.drop_constraint("ck_applications_heard_via", "applications", type_="check")
    op.drop_column("applications", "heard_via")
