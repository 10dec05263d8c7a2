"""Everything that lives inside one trust's schema, one sub-package per domain."""

import importlib

# Every domain whose models live in a trust schema. Onboarding builds a schema from these,
# and the tenant migrations must produce exactly the same schema (tests/test_migrations.py).
DOMAIN_MODELS = (
    "tenants.coordinators.models",
    "tenants.audit.models",
    "tenants.api_tokens.models",
    "tenants.cohorts.models",
    "tenants.eligibility.models",
    "tenants.infosessions.models",
    "tenants.notifications.models",
    "tenants.keys.models",
    "tenants.privacy.models",
    "tenants.retention.models",
    "tenants.reasons.models",
    "tenants.applications.models",
    "tenants.workspace.models",
    "tenants.interviews.models",
    "tenants.training.models",
    "tenants.conditions.models",
    "tenants.shortlisting.models",
    "tenants.posts.models",
    "tenants.trustpage.models",
)


# Each registers its part in subject access, erasure and retention (tenants.retention.registry).
DATA_PROTECTION = (
    "tenants.applications.data_protection",
    "tenants.applications.retention",
    "tenants.workspace.data_protection",
    "tenants.shortlisting.data_protection",
    "tenants.interviews.data_protection",
    "tenants.training.data_protection",
    "tenants.conditions.data_protection",
    "tenants.infosessions.data_protection",
    "tenants.notifications.data_protection",
    "tenants.posts.data_protection",
)


# Each subscribes to the events of an earlier domain (tenants.applications.events,
# tenants.cohorts.events): what follows from a stage change lives with the domain it concerns.
REACTIONS = (
    "tenants.applications.reactions",
    "tenants.applications.responses",
    "tenants.shortlisting.reactions",
    "tenants.training.reactions",
    "tenants.conditions.reactions",
)


def load_reactions():
    """Subscribe every domain's reactions (the app factory calls this, so the web app and
    the worker both have them; importing twice subscribes once)."""
    for module in REACTIONS:
        importlib.import_module(module)


def load_data_protection():
    """Import every domain's data protection hooks (the web app and the worker both call
    this through the app factory)."""
    for module in DATA_PROTECTION:
        importlib.import_module(module)


def load_models():
    """Import every tenant model and return the tenant metadata."""
    for module in DOMAIN_MODELS:
        importlib.import_module(module)
    from peerpath.models import TenantBase

    return TenantBase.metadata


def tenant_setup_steps():
    """Steps that write a new trust's default configuration, in order (see onboarding)."""
    from tenants.applications.crisis import add_default_lines
    from tenants.cohorts.service import add_default_course
    from tenants.conditions.service import add_default_conditions
    from tenants.eligibility.service import add_default_rules
    from tenants.interviews.service import add_default_criteria
    from tenants.keys.service import create_trust_data_key
    from tenants.notifications.service import seed_notification_defaults
    from tenants.privacy.service import add_default_notice
    from tenants.reasons.service import add_default_reasons
    from tenants.retention.service import default_rules

    return [create_trust_data_key, add_default_notice, default_rules, add_default_rules,
            add_default_course, add_default_lines, seed_notification_defaults,
            add_default_criteria, add_default_reasons, add_default_conditions]


def seed_demo_trust(session, tenant):
    """Demo configuration and sample data for one demo trust (idempotent)."""
    from tenants.applications.crisis import add_default_lines
    from tenants.conditions.service import add_default_conditions
    from tenants.interviews.service import add_default_criteria
    from tenants.notifications.service import seed_notification_defaults
    from tenants.privacy.service import add_default_notice
    from tenants.public.demo import seed_configuration
    from tenants.public.demo_applicants import seed_applications
    from tenants.reasons.service import add_default_reasons

    add_default_notice(session, tenant)
    add_default_reasons(session, tenant)
    add_default_conditions(session, tenant)
    seed_configuration(session, tenant)
    seed_applications(session, tenant)
    add_default_lines(session, tenant)
    seed_notification_defaults(session, tenant)
    add_default_criteria(session, tenant)
