"""Everything that lives inside one trust's schema, one sub-package per domain."""

import importlib

# Every domain whose models live in a trust schema. Onboarding builds a schema from these,
# and the tenant migrations must produce exactly the same schema (tests/test_migrations.py).
DOMAIN_MODELS = (
    "tenants.coordinators.models",
    "tenants.audit.models",
    "tenants.api_tokens.models",
    "tenants.cohorts.models",
    "tenants.keys.models",
    "tenants.privacy.models",
    "tenants.retention.models",
    "tenants.eligibility.models",
    "tenants.infosessions.models",
)


def load_models():
    """Import every tenant model and return the tenant metadata."""
    for module in DOMAIN_MODELS:
        importlib.import_module(module)
    from peerpath.models import TenantBase

    return TenantBase.metadata


def tenant_setup_steps():
    """Steps that write a new trust's default configuration, in order (see onboarding)."""
    from tenants.cohorts.service import add_default_course
    from tenants.eligibility.service import add_default_rules
    from tenants.keys.service import create_trust_data_key
    from tenants.privacy.service import add_default_notice
    from tenants.retention.service import default_rules

    return [create_trust_data_key, add_default_notice, default_rules, add_default_rules,
            add_default_course]


def seed_demo_trust(session, tenant):
    """Demo configuration and sample data for one demo trust (idempotent)."""
    from tenants.privacy.service import add_default_notice
    from tenants.public.demo import seed_configuration

    add_default_notice(session, tenant)
    seed_configuration(session, tenant)
