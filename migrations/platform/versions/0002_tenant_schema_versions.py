"""A function that reads every live trust schema's Alembic version in one call.

A UNION ALL over a thousand version tables spends seconds planning; a PL/pgSQL loop of
tiny dynamic reads answers in a fraction of that (see bench/onboarding.py).

Revision ID: p0002
Revises: p0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "p0002"
down_revision = "p0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION platform.tenant_schema_versions()
        RETURNS TABLE (slug text, schema_name text, version text)
        LANGUAGE plpgsql STABLE AS $$
        DECLARE trust record;
        BEGIN
            FOR trust IN SELECT t.slug, t.schema_name FROM platform.trusts t
                         WHERE t.status <> 'offboarded' ORDER BY t.slug LOOP
                slug := trust.slug;
                schema_name := trust.schema_name;
                version := NULL;
                IF to_regclass(format('%I.alembic_version', trust.schema_name)) IS NOT NULL THEN
                    EXECUTE format('SELECT max(version_num) FROM %I.alembic_version',
                                   trust.schema_name) INTO version;
                END IF;
                RETURN NEXT;
            END LOOP;
        END $$
    """)
    op.execute("REVOKE ALL ON FUNCTION platform.tenant_schema_versions() FROM PUBLIC")


def downgrade() -> None:
    op.execute("DROP FUNCTION platform.tenant_schema_versions()")
