"""Tenancy: which trust a piece of work belongs to, and the transaction settings that enforce it.

Every tenant transaction starts with `set_config('search_path', <schema>, true)` and
`set_config('role', <trust role>, true)` (that is SET LOCAL ROLE, with the same membership
check), in one statement. Both are transaction-local, so nothing survives on a pooled
connection, and a query that forgets the tenant runs as the app login role, which holds no
privilege on any trust schema (NOINHERIT) and so reads nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, g, has_app_context, has_request_context, request
from psycopg import sql
from sqlalchemy import event, or_, select, text
from sqlalchemy.orm import Session

from peerpath.extensions import db
from peerpath.models import Trust

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,40}$")

# Words a slug may not be: route names of the platform, and SQL keywords that would make
# confusing schema and role names even though they are always quoted.
RESERVED_SLUGS = frozenset([
    "admin", "api", "app", "assets", "dev", "health", "healthz", "login", "logout", "new",
    "platform", "public", "static", "trusts", "www", "all", "analyse", "analyze", "and", "any",
    "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate", "column",
    "constraint", "create", "current_date", "current_role", "current_time", "current_user",
    "default", "deferrable", "delete", "desc", "distinct", "do", "drop", "else", "end",
    "except", "false", "fetch", "for", "foreign", "from", "grant", "group", "having", "in",
    "initially", "insert", "intersect", "into", "lateral", "leading", "limit", "localtime",
    "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
    "returning", "role", "schema", "select", "session_user", "some", "symmetric", "table",
    "then", "to", "trailing", "true", "truncate", "union", "unique", "update", "user", "using",
    "variadic", "when", "where", "window", "with",
])


class TenantError(Exception):
    """Base of the tenancy errors; `public_message` is safe to show to users."""

    public_message = "Page not found"


class InvalidSlug(TenantError, ValueError):
    pass


class UnknownTenant(TenantError, LookupError):
    pass


class TenantSuspended(TenantError):
    public_message = "This trust's service is suspended"


class SessionTenantMismatch(RuntimeError):
    """A session already bound to one trust was asked to serve another."""


def validate_slug(slug: str) -> str:
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise InvalidSlug(
            f"{slug!r} is not a valid trust slug: use 2 to 41 lower-case letters, digits or "
            "hyphens, starting with a letter"
        )
    if slug in RESERVED_SLUGS:
        raise InvalidSlug(f"{slug!r} is a reserved word and cannot be a trust slug")
    if slug.endswith("-") or "--" in slug:
        raise InvalidSlug(
            f"{slug!r} is not a valid trust slug: no leading, trailing or double hyphens"
        )
    return slug


def schema_name_for(slug: str) -> str:
    return "trust_" + validate_slug(slug).replace("-", "_")


def role_name_for(slug: str) -> str:
    return schema_name_for(slug) + "_rw"


@dataclass(frozen=True)
class Tenant:
    """A resolved trust, carried explicitly: `g.tenant` in requests, an argument in jobs."""

    id: int
    slug: str
    display_name: str
    schema: str
    role: str
    status: str
    hosts: tuple[str, ...] = ()
    contact_email: str | None = None
    contact_phone: str | None = None

    @classmethod
    def from_row(cls, trust: Trust) -> Tenant:
        return cls(
            id=trust.id,
            slug=trust.slug,
            display_name=trust.display_name,
            schema=trust.schema_name,
            role=trust.role_name,
            status=trust.status,
            hosts=tuple(trust.hosts or ()),
            contact_email=trust.contact_email,
            contact_phone=trust.contact_phone,
        )

    @property
    def is_active(self) -> bool:
        return self.status == "active"


# Per request, each trust is looked up once: the host lookup (made before routing, from the
# WSGI environ) and the slug lookup (made by routing) share a memo kept in the environ.
REQUEST_LOOKUPS_KEY = "peerpath.tenant_lookups"
_TRUST_COLUMNS = (Trust.id, Trust.slug, Trust.display_name, Trust.schema_name,
                  Trust.role_name, Trust.status, Trust.hosts, Trust.contact_email,
                  Trust.contact_phone)


def _tenant_from_mapping(row) -> Tenant:
    return Tenant(id=row.id, slug=row.slug, display_name=row.display_name,
                  schema=row.schema_name, role=row.role_name, status=row.status,
                  hosts=tuple(row.hosts or ()), contact_email=row.contact_email,
                  contact_phone=row.contact_phone)


def _platform_lookup(where) -> list[Tenant]:
    # One autocommit SELECT: no BEGIN / ROLLBACK around it, and the request's tenant session
    # never starts a transaction before its tenant is bound.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return [_tenant_from_mapping(row)
                for row in conn.execute(select(*_TRUST_COLUMNS).where(where))]


def _lookups(environ: dict | None) -> dict:
    if environ is None:
        environ = request.environ if has_request_context() else None
    return {} if environ is None else environ.setdefault(REQUEST_LOOKUPS_KEY, {})


def _path_slug(environ: dict | None) -> str | None:
    path = (environ or {}).get("PATH_INFO", "")
    if not path.startswith("/trusts/"):
        return None
    slug = path[len("/trusts/"):].split("/", 1)[0]
    return slug if SLUG_PATTERN.fullmatch(slug) else None


def _remember(lookups: dict, tenants: list[Tenant], host: str | None = None,
              slug: str | None = None) -> None:
    for tenant in tenants:
        lookups[("slug", tenant.slug)] = tenant
    if host is not None:
        lookups[("host", host)] = next((t for t in tenants if host in t.hosts), None)
    if slug is not None:
        lookups.setdefault(("slug", slug), None)


def find_tenant(slug: str) -> Tenant:
    """The registered trust for a slug, or UnknownTenant (also for offboarded trusts)."""
    if not isinstance(slug, str) or not SLUG_PATTERN.fullmatch(slug):
        raise UnknownTenant(slug)
    lookups = _lookups(None)
    if ("slug", slug) not in lookups:
        _remember(lookups, _platform_lookup(Trust.slug == slug), slug=slug)
    tenant = lookups[("slug", slug)]
    if tenant is None or tenant.status == "offboarded":
        raise UnknownTenant(slug)
    return tenant


def find_tenant_by_host(host: str, environ: dict | None = None) -> Tenant | None:
    """The trust whose registered host name this is. Given the request's WSGI environ, the
    trust named by a /trusts/<slug>/ path is fetched in the same statement and remembered for
    `find_tenant`, so a request costs one lookup however its trust is named."""
    host = (host or "").split(":", 1)[0].lower()
    if not host:
        return None
    lookups = _lookups(environ)
    if ("host", host) not in lookups:
        slug = _path_slug(environ)
        # `hosts @> ARRAY[host]` can use the GIN index on hosts; `host = ANY(hosts)` cannot.
        where = Trust.hosts.contains([host])
        if slug is not None and ("slug", slug) not in lookups:
            where = or_(where, Trust.slug == slug)
        else:
            slug = None
        _remember(lookups, _platform_lookup(where), host=host, slug=slug)
    tenant = lookups[("host", host)]
    return tenant if tenant and tenant.status != "offboarded" else None


def require_active(tenant: Tenant) -> Tenant:
    if tenant.status == "suspended":
        raise TenantSuspended(tenant.slug)
    if tenant.status != "active":
        raise UnknownTenant(tenant.slug)
    return tenant


def bind_session(session: Session, tenant: Tenant) -> None:
    """Make every transaction of `session` run inside `tenant`'s schema and role."""
    bound = session.info.get("tenant")
    if bound is not None and bound.slug != tenant.slug:
        raise SessionTenantMismatch(f"session serves {bound.slug}, asked for {tenant.slug}")
    if session.in_transaction() and bound is None:
        # A transaction begun without the tenant's settings must not be reused for it.
        session.rollback()
    session.info["tenant"] = tenant


# The first statement of a request's tenant transaction: the trust's row, and (for an
# active trust only) its search_path and role, set in the same round trip. PostgreSQL checks
# the privileges of a statement before running it, as the app login role, which may read
# platform.trusts; the role changes while the row is returned, so everything after it in the
# transaction runs as the trust role. CASE keeps the settings off for a trust that is not
# active (whose role may be gone): that transaction reads nothing, and the request fails.
# The schema is quoted as tenant_statement quotes it (always, as psycopg's Identifier).
_OPEN_TENANT = text("""
SELECT id, slug, display_name, schema_name, role_name, status, hosts, contact_email,
       contact_phone,
       CASE WHEN status = 'active' THEN set_config(
            'search_path', '"' || replace(schema_name, '"', '""') || '"', true) END AS search_path,
       CASE WHEN status = 'active' THEN set_config('role', role_name, true) END AS role
FROM platform.trusts WHERE slug = :slug
""")


def open_tenant(session: Session, slug: str) -> Tenant:
    """The trust named by `slug`, with `session`'s transaction opened inside it: one
    statement for the lookup and the tenant settings, where find_tenant + bind_session
    cost two round trips (and a third for the autocommit lookup's own connection).

    A trust already looked up in this request (by its host name) is bound as usual.
    Raises UnknownTenant (also for an offboarded trust); a suspended trust is returned
    unbound, for require_active to refuse."""
    lookups = _lookups(None)
    if ("slug", slug) in lookups or not isinstance(slug, str) or \
            not SLUG_PATTERN.fullmatch(slug):
        tenant = find_tenant(slug)
        if tenant.is_active:
            bind_session(session, tenant)
        return tenant
    if session.info.get("tenant") is not None:
        raise SessionTenantMismatch(f"session serves {session.info['tenant'].slug}")
    if session.in_transaction():
        session.rollback()
    row = session.connection().execute(_OPEN_TENANT, {"slug": slug}).first()
    tenant = _tenant_from_mapping(row) if row is not None else None
    _remember(lookups, [tenant] if tenant else [], slug=slug)
    if tenant is None or tenant.status == "offboarded":
        raise UnknownTenant(slug)
    if tenant.is_active:
        session.info["tenant"] = tenant  # later transactions begin with tenant_statement
    return tenant


@lru_cache(maxsize=4096)
def tenant_statement(schema: str, role: str) -> str:
    """The statement that opens every tenant transaction, quoted safely: the schema's
    search_path and the trust's role, both transaction-local (`set_config(..., true)` is
    SET LOCAL; the role is checked the same way), in one round trip."""
    return sql.SQL("SELECT set_config('search_path', {}, true), set_config('role', {}, true)"
                   ).format(sql.Literal(sql.Identifier(schema).as_string()),
                            sql.Literal(role)).as_string()


@event.listens_for(Session, "after_begin")
def _enter_tenant(session: Session, transaction, connection) -> None:
    tenant = session.info.get("tenant")
    if tenant is None:
        return
    connection.exec_driver_sql(tenant_statement(tenant.schema, tenant.role))


@contextmanager
def tenant_context(tenant_or_slug: Tenant | str, app=None) -> Iterator[Tenant]:
    """Run a block (a job, a CLI command, a test) inside one trust.

    Pushes a fresh app context, so `db.session` is a new session bound to this trust only;
    the previous context, and its tenant, are restored on exit (like django-tenants'
    schema_context).
    """
    app = app or (current_app._get_current_object() if has_app_context() else None)
    if app is None:
        raise RuntimeError("tenant_context needs a Flask app")
    with app.app_context():
        tenant = (
            tenant_or_slug
            if isinstance(tenant_or_slug, Tenant)
            else require_active(find_tenant(tenant_or_slug))
        )
        g.tenant = tenant
        bind_session(db.session(), tenant)
        try:
            yield tenant
        finally:
            db.session.remove()


def current_tenant() -> Tenant:
    """The request's or job's trust; there is no default tenant."""
    tenant = g.get("tenant")
    if tenant is None:
        raise UnknownTenant("no tenant in this context")
    return tenant


def in_tenant_role(session: Session) -> str:
    """`current_user` of the session's transaction (tests assert it is the trust role)."""
    return session.execute(text("SELECT current_user")).scalar_one()
