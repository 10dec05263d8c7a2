"""Platform admin console: recovery codes, admin API tokens, onboarding runs,
fleet upgrade runs and trust exports.

Revision ID: p0100_admin
Revises: p0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "p0100_admin"
down_revision = "p0002"
branch_labels = None
depends_on = None

SCHEMA = "platform"
APP_ROLE = "peerpath_app"


# Figures for the console's trusts overview, for every live trust in one call (see
# peerpath/admin/stats.py). The tables belong to other domains and may not exist yet in a
# trust, so each figure is read only if its table exists, and is NULL if a column differs.
TRUST_FIGURES = """
CREATE OR REPLACE FUNCTION platform.trust_figures()
RETURNS TABLE (slug text, open_cohorts bigint, applications_this_month bigint,
               notifications_pending bigint, notifications_failed bigint,
               last_sign_in timestamptz, weekly json)
LANGUAGE plpgsql STABLE AS $$
DECLARE trust record;
BEGIN
    FOR trust IN SELECT t.slug, t.schema_name FROM platform.trusts t
                 WHERE t.status <> 'offboarded' ORDER BY t.slug LOOP
        slug := trust.slug;
        open_cohorts := NULL; applications_this_month := NULL; weekly := NULL;
        notifications_pending := NULL; notifications_failed := NULL; last_sign_in := NULL;
        IF to_regclass(format('%I.cohorts', trust.schema_name)) IS NOT NULL THEN
            BEGIN
                EXECUTE format('SELECT count(*) FROM %I.cohorts WHERE current_date '
                               'BETWEEN eoi_opens_on AND eoi_closes_on', trust.schema_name)
                INTO open_cohorts;
            EXCEPTION WHEN undefined_column THEN NULL;
            END;
        END IF;
        IF to_regclass(format('%I.applications', trust.schema_name)) IS NOT NULL THEN
            BEGIN
                EXECUTE format(
                    'SELECT count(*) FILTER (WHERE submitted_at >= date_trunc(''month'', now())), '
                    '(SELECT coalesce(json_object_agg(week, n), ''{}'') FROM ('
                    ' SELECT date_trunc(''week'', submitted_at)::date::text AS week, count(*) AS n'
                    ' FROM %1$I.applications WHERE submitted_at >= '
                    ' date_trunc(''week'', now()) - interval ''7 weeks'' GROUP BY 1) AS per_week) '
                    'FROM %1$I.applications', trust.schema_name)
                INTO applications_this_month, weekly;
            EXCEPTION WHEN undefined_column THEN NULL;
            END;
        END IF;
        IF to_regclass(format('%I.notification_outbox', trust.schema_name)) IS NOT NULL THEN
            BEGIN
                EXECUTE format(
                    'SELECT count(*) FILTER (WHERE status IN '
                    '(''created'', ''sending'', ''temporary_failure'')), '
                    'count(*) FILTER (WHERE status = ''permanent_failure'') '
                    'FROM %I.notification_outbox', trust.schema_name)
                INTO notifications_pending, notifications_failed;
            EXCEPTION WHEN undefined_column THEN NULL;
            END;
        END IF;
        IF to_regclass(format('%I.coordinators', trust.schema_name)) IS NOT NULL THEN
            EXECUTE format('SELECT max(last_sign_in_at) FROM %I.coordinators',
                           trust.schema_name) INTO last_sign_in;
        END IF;
        RETURN NEXT;
    END LOOP;
END $$
"""


def _now():
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                     nullable=False)


def _admin_fk(table: str):
    return sa.ForeignKeyConstraint(["admin_id"], [f"{SCHEMA}.admins.id"],
                                   name=f"fk_{table}_admin_id_admins", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "admin_recovery_codes",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("admin_id", sa.BigInteger(), nullable=False),
        sa.Column("code_hash", sa.Text(), nullable=False),
        _now(),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_admin_recovery_codes"),
        _admin_fk("admin_recovery_codes"),
        schema=SCHEMA,
    )
    op.create_index("ix_admin_recovery_codes_admin_id", "admin_recovery_codes", ["admin_id"],
                    schema=SCHEMA)
    op.create_table(
        "admin_api_tokens",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("admin_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        _now(),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_admin_api_tokens"),
        _admin_fk("admin_api_tokens"),
        schema=SCHEMA,
    )
    op.create_index("ix_admin_api_tokens_admin_id", "admin_api_tokens", ["admin_id"],
                    schema=SCHEMA)
    op.create_table(
        "onboarding_runs",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("slug", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), server_default="queued", nullable=False),
        sa.Column("step", sa.String(200)),
        sa.Column("error", sa.Text()),
        sa.Column("params", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("requested_by", sa.String(320), nullable=False),
        sa.Column("ip", postgresql.INET()),
        _now(),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_onboarding_runs"),
        sa.CheckConstraint("status IN ('queued', 'running', 'succeeded', 'failed')",
                           name="ck_onboarding_runs_status"),
        schema=SCHEMA,
    )
    op.create_table(
        "upgrade_runs",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("head", sa.String(32)),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("upgraded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_upgrade_runs"),
        schema=SCHEMA,
    )
    op.create_table(
        "upgrade_results",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("slug", sa.String(41), nullable=False),
        sa.Column("before", sa.String(32)),
        sa.Column("after", sa.String(32)),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_upgrade_results"),
        sa.ForeignKeyConstraint(["run_id"], [f"{SCHEMA}.upgrade_runs.id"],
                                name="fk_upgrade_results_run_id_upgrade_runs",
                                ondelete="CASCADE"),
        schema=SCHEMA,
    )
    op.create_index("ix_upgrade_results_slug_run_id", "upgrade_results", ["slug", "run_id"],
                    schema=SCHEMA)
    op.create_table(
        "trust_exports",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("trust_slug", sa.String(41), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("tables", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        _now(),
        sa.PrimaryKeyConstraint("id", name="pk_trust_exports"),
        schema=SCHEMA,
    )
    op.create_index("ix_trust_exports_trust_slug", "trust_exports", ["trust_slug"],
                    schema=SCHEMA)
    op.create_index("ix_audit_log_action", "audit_log", ["action"], schema=SCHEMA)
    op.create_index("ix_audit_log_target", "audit_log", ["target"], schema=SCHEMA)
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {SCHEMA}.admin_recovery_codes, "
               f"{SCHEMA}.admin_api_tokens, {SCHEMA}.onboarding_runs "
               f"TO {APP_ROLE}")
    # Records of what happened: the app may add them and read them, never rewrite them.
    op.execute(f"GRANT SELECT, INSERT ON {SCHEMA}.upgrade_runs, {SCHEMA}.upgrade_results, "
               f"{SCHEMA}.trust_exports TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {APP_ROLE}")
    op.execute(TRUST_FIGURES)
    op.execute("REVOKE ALL ON FUNCTION platform.trust_figures() FROM PUBLIC")  # owner only


def downgrade() -> None:
    op.execute("DROP FUNCTION platform.trust_figures()")
    op.drop_index("ix_audit_log_target", "audit_log", schema=SCHEMA)
    op.drop_index("ix_audit_log_action", "audit_log", schema=SCHEMA)
    for table in ("trust_exports", "upgrade_results", "upgrade_runs", "onboarding_runs", "admin_api_tokens", "admin_recovery_codes"):
        op.drop_table(table, schema=SCHEMA)
