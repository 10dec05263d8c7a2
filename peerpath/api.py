"""The versioned JSON API (/api/v1) and the conventions every endpoint follows.

Writing an endpoint
-------------------
A domain's JSON endpoints live in its ``api.py`` blueprint, registered in the app factory
with ``register_trust_api(app, bp)`` (-> ``/api/v1/trusts/<trust_slug>/<route>``). The
platform admins' API (peerpath.admin.api, ``/api/v1/platform/...``) follows the same rules,
with ``@admin_api_access`` (an admin token) in the place of ``@api_access``::

    bp = Blueprint("cohorts_api", __name__)

    @bp.patch("/cohorts/<int:cohort_id>")
    @api_access("settings:write")            # 1. auth: bearer token of THIS trust, the
                                             #    owner's current role holds the permission
                                             #    (tenants.coordinators.permissions), scope,
                                             #    per-token rate limit (tenants.api_tokens)
    @api_operation(request=CohortUpdateSchema, response=CohortSchema, errors=(409,))
    def update_cohort(cohort_id, body):      # 2. schemas, always the innermost decorator
        \"\"\"Change a cohort.                  <- summary in the OpenAPI document

        Longer description for the documentation page.
        \"\"\"
        cohort = service.get(db.session, cohort_id) or abort(404, "No cohort with that id")
        require_if_match(cohort)             # 412 if someone changed it since the client read it
        service.update(db.session, cohort, **body)
        db.session.commit()
        return cohort                        # dumped with CohortSchema

Rules
-----
- Paths are nouns in kebab-case; ids are ``<int:name>`` path parameters. Path ids outside
  1..2**63-1 are a 404 before the view runs.
- ``@api_access(permission)`` goes ABOVE ``@api_operation`` (``api_operation`` refuses the
  other order), so a request is authenticated before its input is read: no or a bad token is
  a 401, a read token on a write operation a 403, an owner whose current role lacks the
  permission a 403 (the same table the pages read), another trust's token a 404.
- ``@api_operation`` declares the marshmallow schemas, and does the edge work with them:
  ``request=`` loads the JSON body (400 if it is not JSON or not sent as application/json,
  422 with ``{"error": {"status", "message", "fields": {...}}}`` if invalid, which includes
  a NUL character in any string) and passes it
  to the view as ``body``; ``query=`` loads the query string the same way as ``query``;
  ``response=`` dumps what the view returns (``many=True`` for a list), with ``status``.
  ``status=204`` with no response schema returns an empty body. The same schemas make the
  OpenAPI document (peerpath.openapi), so the documentation cannot drift from the code.
- Errors: ``abort(status, "plain English message")``; they become the JSON error body.
  404 for anything missing or not the caller's, 409 for a conflict with the resource's
  state; list the extra statuses in ``errors=(409,)`` so they are documented. Raising
  ``marshmallow.ValidationError({"field": ["message"]})`` in a view is a 422. Never a 500
  for any input: the schemathesis test fuzzes every operation and fails on one.
- Lists are paginated: ``paginated=True`` (query schema ``PageQuery`` or a subclass adding
  filters: ``limit`` 1..100, default 50, and an opaque ``cursor``); the view returns
  ``paginate(db.session, select(...), Model.id, query)`` and the response is
  ``{"items": [...], "next_cursor": "..." | null}``. Pages are ordered by a unique integer
  column (usually the id), so a new row never shifts a page.
- Single resources: a GET gets an ``ETag`` (a hash of the dumped body) automatically. A
  PUT/PATCH must send ``If-Match`` (428 without it) and the view must call
  ``require_if_match(resource)`` before changing anything (412 on a mismatch); the GET and
  the PUT/PATCH at the same path must share a response schema so the tags agree.
- Rate limits per token: 600/minute for GET, 120/minute for writes (config
  ``API_RATE_LIMIT_READ`` / ``API_RATE_LIMIT_WRITE``); over it a 429 with ``Retry-After``.
- The view commits (``db.session.commit()``) after the service call, and audits access to
  applicant data as HTML views do.
- Tests need nothing new: tests/api/ reads the OpenAPI document, so schemathesis fuzzing and
  the cross-trust probe cover a new operation as soon as it is registered.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from typing import Any

import flask
from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate

from peerpath.extensions import csrf, limiter

API_PREFIX = "/api/v1"
TRUST_API_PREFIX = API_PREFIX + "/trusts/<trust_slug>"
API_BLUEPRINTS = "peerpath.api_blueprints"  # app.extensions key: names of API blueprints
MAX_ID = 2**63 - 1  # PostgreSQL bigint
MAX_PAGE = 100
DEFAULT_PAGE = 50
READ_LIMIT = "600/minute"
WRITE_LIMIT = "120/minute"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CONDITIONAL_METHODS = ("PUT", "PATCH")
CURSOR_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CURSOR_PATTERN = re.compile(r"^[0-9a-z]{1,13}$")
BAD_CURSOR = "Not a cursor from this list: start again without one"


def register_trust_api(app: Flask, *blueprints: Blueprint) -> None:
    register_api(app, *blueprints, url_prefix=TRUST_API_PREFIX)


def register_api(app: Flask, *blueprints: Blueprint, url_prefix: str) -> None:
    """Register JSON blueprints under `url_prefix` (below API_PREFIX): bearer tokens, no
    CSRF, and in the OpenAPI document."""
    for bp in blueprints:
        csrf.exempt(bp)
        app.register_blueprint(bp, url_prefix=url_prefix)
        app.extensions.setdefault(API_BLUEPRINTS, set()).add(bp.name)


# --- Operations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """What an endpoint takes and returns; peerpath.openapi documents it from this."""

    request: type[Schema] | None
    response: type[Schema] | None
    query: type[Schema] | None
    many: bool
    paginated: bool
    status: int
    errors: tuple[int, ...]
    file: str | None = None  # the media type of a file the view returns as a Response


# What an auth guard sets on the view it wraps (see api_access; peerpath.admin.auth).
GUARD_ATTRIBUTES = ("api_scope", "api_security")


def api_operation(*, request: type[Schema] | None = None, response: type[Schema] | None = None,
                  query: type[Schema] | None = None, many: bool = False,
                  paginated: bool = False, status: int = 200, errors: tuple[int, ...] = (),
                  file: str | None = None):
    """Declare an endpoint's schemas; load its input and dump its output with them.

    `file="application/zip"` (no response schema): the view returns the file as a Response.
    """
    if paginated and query is None:
        query = PageQuery
    if paginated and not issubclass(query, PageQuery):
        raise TypeError("a paginated operation's query schema must subclass PageQuery")
    if response is None and status != 204 and file is None:
        raise TypeError("an operation without a response schema must have status=204")
    operation = Operation(request, response, query, many, paginated, status, tuple(errors),
                          file)

    def decorate(view: Callable) -> Callable:
        if any(hasattr(view, name) for name in GUARD_ATTRIBUTES):
            raise TypeError(f"{view.__name__}: put @api_access above @api_operation, so a "
                            "request is authenticated before its input is read")

        @wraps(view)
        def run(*args, **kwargs):
            _refuse_impossible_ids(kwargs)
            if operation.query is not None:
                kwargs["query"] = _load(operation.query, _query_values(operation.query))
            if operation.request is not None:
                kwargs["body"] = _load(operation.request, _json_body())
            # (`request` is the schema argument here; flask's request is flask.request.)
            conditional = flask.request.method in CONDITIONAL_METHODS
            if conditional and "If-Match" not in flask.request.headers:
                abort(428, "Send an If-Match header with the ETag from your last GET of this "
                           "resource, so that you do not overwrite someone else's change")
            g.api_operation = operation
            result = view(*args, **kwargs)
            if conditional and not g.get("api_if_match_checked"):
                raise RuntimeError(f"{view.__name__} must call require_if_match()")
            return _respond(operation, result)

        run.api_operation = operation
        return run

    return decorate


def _refuse_impossible_ids(kwargs: dict) -> None:
    for value in kwargs.values():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            abort(404, "Not found")


def _load(schema: type[Schema], data: Any) -> dict:
    nul = _nul_errors(data)
    if nul:
        raise ValidationError(nul)
    return schema().load(data)  # ValidationError -> 422 (peerpath.errors)


def _nul_errors(data: Any) -> Any:
    """Where `data` holds a NUL character (PostgreSQL text cannot store one; the OpenAPI
    document forbids it in every string)."""
    if isinstance(data, str):
        return ["Remove the NUL (\\0) character"] if "\x00" in data else None
    if isinstance(data, dict):
        found = {str(k).replace("\x00", ""): _nul_errors(v) or _nul_errors(k)
                 for k, v in data.items()}
    elif isinstance(data, list):
        found = {i: _nul_errors(v) for i, v in enumerate(data)}
    else:
        return None
    found = {k: v for k, v in found.items() if v}
    return found or None


def _query_values(schema: type[Schema]) -> dict:
    lists = {name for name, field in schema().fields.items() if isinstance(field, fields.List)}
    return {key: values if key in lists else values[0] for key, values in request.args.lists()}


def _reject_constant(name: str):
    raise ValueError(name)


def _json_body() -> Any:
    if not request.is_json:
        abort(400, "Send the request body as JSON, with 'Content-Type: application/json'")
    try:
        return json.loads(request.get_data(), parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        abort(400, "The request body is not valid JSON")


def _respond(operation: Operation, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if operation.response is None:
        return Response(status=operation.status)
    if operation.paginated:
        payload = {"items": operation.response(many=True).dump(result.items),
                   "next_cursor": result.next_cursor}
    else:
        payload = operation.response(many=operation.many).dump(result)
    response = jsonify(payload)
    response.status_code = operation.status
    if request.method == "GET" and not (operation.many or operation.paginated):
        response.set_etag(etag_of(payload))
    return response


# --- ETag / If-Match --------------------------------------------------------------------


def etag_of(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def require_if_match(resource: Any) -> None:
    """412 unless If-Match names the resource as it is now (as the GET would dump it)."""
    g.api_if_match_checked = True
    current = etag_of(g.api_operation.response().dump(resource))
    if not request.if_match.contains(current):
        abort(412, "This resource has changed since you read it: GET it again, re-apply "
                   "your change and send it with the new ETag in If-Match")


# --- Cursor pagination ------------------------------------------------------------------


class PageQuery(Schema):
    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(1, MAX_PAGE),
                           metadata={"description": f"Items per page, at most {MAX_PAGE}"})
    cursor = fields.String(validate=validate.Regexp(CURSOR_PATTERN, error=BAD_CURSOR),
                           metadata={"description": "next_cursor of the previous page"})


@dataclass(frozen=True)
class Page:
    items: list
    next_cursor: str | None


def encode_cursor(position: int) -> str:
    """The opaque cursor of a list position (the last row's id)."""
    digits = ""
    while True:
        position, digit = divmod(position, 36)
        digits = CURSOR_DIGITS[digit] + digits
        if not position:
            return digits


def decode_cursor(cursor: str) -> int:
    # Every string the document allows is a cursor (schemathesis checks that valid input
    # is accepted); one past the last id simply gives an empty page.
    if not CURSOR_PATTERN.fullmatch(cursor):
        raise ValidationError({"cursor": [BAD_CURSOR]})
    return min(int(cursor, 36), MAX_ID)


def paginate(session, statement, column, query: dict, *, descending: bool = False) -> Page:
    """One page of `statement` in order of the unique `column`, after the query's cursor.

    The cursor only says where the previous page ended; the statement decides what the
    caller may see, so a tampered cursor shows nothing more.
    """
    limit = query["limit"]
    if query.get("cursor") is not None:
        after = decode_cursor(query["cursor"])
        statement = statement.where(column < after if descending else column > after)
    order = column.desc() if descending else column.asc()
    rows = list(session.scalars(statement.order_by(order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(getattr(rows[-1], column.key)) if more else None)


@cache
def page_schema(item: type[Schema]) -> type[Schema]:
    """The response schema of a paginated list of `item` (named e.g. TokenPageSchema)."""
    name = item.__name__.removesuffix("Schema") + "PageSchema"
    return type(name, (Schema,), {
        "__module__": item.__module__,
        "items": fields.List(fields.Nested(item), required=True),
        "next_cursor": fields.String(required=True, allow_none=True, metadata={
            "description": "Pass as `cursor` for the next page; null on the last page"}),
    })


# --- Rate limits ------------------------------------------------------------------------


def _rate_key() -> str:
    return g.api_rate_key


def rate_limited(view: Callable) -> Callable:
    """Per-token limits; the auth guard sets g.api_rate_key before calling the result."""
    def limit(config_key: str, default: str) -> Callable[[], str]:
        return lambda: current_app.config.get(config_key, default)

    message = "Too many requests with this API token: wait, then try again"
    reads = limiter.shared_limit(limit("API_RATE_LIMIT_READ", READ_LIMIT), scope="api-read",
                                 key_func=_rate_key, methods=list(SAFE_METHODS),
                                 error_message=message)
    writes = limiter.shared_limit(limit("API_RATE_LIMIT_WRITE", WRITE_LIMIT),
                                  scope="api-write", key_func=_rate_key,
                                  methods=["POST", "PUT", "PATCH", "DELETE"],
                                  error_message=message)
    return reads(writes(view))
