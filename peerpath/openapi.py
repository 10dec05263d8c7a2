"""The OpenAPI 3 document of the JSON API, made from the routes and their marshmallow schemas.

Every rule of a blueprint registered through peerpath.api is documented: the path and its
parameters from the URL rule, the rest from the view's `@api_operation` and `@api_access`.
Nothing is written by hand, so a new endpoint appears here (and in the fuzzing and probe
tests, which read this document) as soon as it is registered.

/api/v1/openapi.json serves the document; /api/v1/docs renders it as a page.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify, render_template
from marshmallow import Schema, fields
from werkzeug.routing import IntegerConverter, Rule

from peerpath.api import (
    API_BLUEPRINTS,
    API_PREFIX,
    CONDITIONAL_METHODS,
    MAX_ID,
    Operation,
    page_schema,
)
from peerpath.tenancy import SLUG_PATTERN

bp = Blueprint("api_meta", __name__)
SPEC_KEY = "peerpath.openapi"
UNDOCUMENTED = "x-peerpath-undocumented"
RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([A-Za-z_][A-Za-z0-9_]*)>")

ERROR_TEXT = {
    400: "The body is not JSON, or not sent as application/json",
    401: "No API token, or it is not valid, expired or revoked",
    403: "The token's scope does not allow this (a read token on a write operation)",
    404: "Not found: no such resource, or it belongs to another trust",
    409: "The request conflicts with the resource's current state",
    412: "If-Match does not match the resource's current ETag: GET it again",
    422: "Invalid fields; `fields` names each one with its messages",
    428: "If-Match is missing",
    429: "Too many requests with this token; see Retry-After",
    503: "The trust's service is suspended",
}
BEARER_DESCRIPTION = (
    "A personal API token made by a coordinator in the workspace (API tokens), sent as "
    "`Authorization: Bearer pp_<trust>_<id>_<secret>`. It works for its own trust only."
)
ADMIN_SECURITY = "adminBearerAuth"  # the scheme of the platform API (peerpath.admin.auth)
ADMIN_BEARER_DESCRIPTION = (
    "A platform admin's API token, made in the admin console (API tokens), sent as "
    "`Authorization: Bearer pa_<id>_<secret>`. It works for the platform operations "
    "(`/api/v1/platform/...`) only, never for a trust's."
)
SLUG_PARAMETERS = {"trust_slug": "The trust's slug, e.g. `leicestershire`",
                   "slug": "A trust's slug, e.g. `leicestershire`"}


class ErrorDetailSchema(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    field_errors = fields.Dict(data_key="fields", metadata={
        "description": "For a 422: each invalid field with its messages"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


@bp.get(API_PREFIX + "/openapi.json")
def openapi_json():
    return jsonify(openapi_document(current_app))


@bp.get(API_PREFIX + "/docs")
def docs():
    document = openapi_document(current_app)
    return render_template("api/docs.html", spec=document,
                           operations=list(operations_of(document)))


def openapi_document(app: Flask) -> dict:
    if SPEC_KEY not in app.extensions:
        app.extensions[SPEC_KEY] = build_document(app)
    return app.extensions[SPEC_KEY]


def operations_of(document: dict):
    """(path, method, operation) of every operation in the document, in path order."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method.upper(), operation


def build_document(app: Flask) -> dict:
    spec = APISpec(title="PeerPath API", version="v1", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The JSON API of one trust's Peer Support Worker "
                                        "programme (`/api/v1/trusts/...`), and the platform "
                                        "admins' API that onboards and runs the trusts "
                                        "(`/api/v1/platform/...`). Conventions: see "
                                        "peerpath.api."})
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer", "bearerFormat": "pp_<trust>_<id>_<secret>",
        "description": BEARER_DESCRIPTION})
    spec.components.security_scheme(ADMIN_SECURITY, {
        "type": "http", "scheme": "bearer", "bearerFormat": "pa_<id>_<secret>",
        "description": ADMIN_BEARER_DESCRIPTION})
    spec.components.schema("Error", schema=ErrorSchema)
    api_blueprints = app.extensions.get(API_BLUEPRINTS, set())
    rules = sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
    for rule in rules:
        if rule.endpoint.rpartition(".")[0] not in api_blueprints:
            continue
        view = app.view_functions[rule.endpoint]
        path, parameters = _path_of(rule)
        spec.path(path=path, parameters=parameters, operations={
            method.lower(): _operation(rule, method, view)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})})
    document = spec.to_dict()
    _forbid_nul(document)
    document["components"]["schemas"][JSON_VALUE] = JSON_VALUE_SCHEMA
    return document


NO_NUL = "^[^\\u0000]*$"
JSON_VALUE = "JsonValue"
JSON_VALUE_REF = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
JSON_VALUE_SCHEMA = {
    "description": "Any JSON value without a NUL (\\u0000) character in a string or a key",
    "nullable": True,
    "anyOf": [{"type": "string", "pattern": NO_NUL}, {"type": "number"}, {"type": "boolean"},
              {"type": "array", "items": JSON_VALUE_REF},
              {"type": "object", "patternProperties": {NO_NUL: JSON_VALUE_REF},
               "additionalProperties": False}],
}


def _forbid_nul(node) -> None:
    """Every string of the API, and every key of a free-form object, is free of NUL
    characters (PostgreSQL cannot store them): say so in each string schema without a
    pattern of its own, and in each object schema without named properties (api_operation
    enforces it, at any depth)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "pattern" not in node and "enum" not in node \
                and node.get("format") != "binary":
            node["pattern"] = NO_NUL
        if node.get("type") == "object" and "properties" not in node \
                and "patternProperties" not in node:
            values = node.get("additionalProperties")
            node["patternProperties"] = {
                NO_NUL: values if isinstance(values, dict) and values else JSON_VALUE_REF}
            node["additionalProperties"] = False
        for value in node.values():
            _forbid_nul(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_nul(value)


def _path_of(rule: Rule) -> tuple[str, list[dict]]:
    parameters = []
    for name in RULE_VARIABLE.findall(rule.rule):
        converter = rule._converters.get(name)
        if name in SLUG_PARAMETERS:
            schema = {"type": "string", "pattern": SLUG_PATTERN.pattern}
            description = SLUG_PARAMETERS[name]
        elif isinstance(converter, IntegerConverter):
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            description = "Id"
        else:
            schema = {"type": "string", "pattern": "^[^/]+$"}
            description = ""
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema,
                           "description": description})
    return RULE_VARIABLE.sub(r"{\1}", rule.rule), parameters


def _operation(rule: Rule, method: str, view) -> dict:
    operation: Operation | None = getattr(view, "api_operation", None)
    summary, _, description = (view.__doc__ or rule.endpoint).strip().partition("\n")
    document: dict = {
        "operationId": rule.endpoint.replace(".", "__"),
        "tags": [rule.endpoint.partition(".")[0].removesuffix("_api")],
        "summary": summary.strip(),
        "description": " ".join(description.split()),
    }
    scope = getattr(view, "api_scope", None)
    security = getattr(view, "api_security", "bearerAuth" if scope else None)
    if security:
        document["security"] = [{security: []}]
    if scope:
        document["x-peerpath-scope"] = scope
        document["description"] = (f"Needs a token with scope `{scope}`. "
                                   + document["description"]).strip()
    if operation is None:
        document[UNDOCUMENTED] = True
        document["responses"] = {"default": _error_response(0)}
        return document
    errors = {404, 503} if "trust_slug" in rule.arguments else {404}
    errors |= {401, 429} | ({403} if scope == "write" else set())
    errors |= {400, 422} if operation.request else set()
    errors |= {422} if operation.query else set()
    errors |= set(operation.errors)
    parameters = []
    if operation.query:
        parameters.append({"in": "query", "schema": operation.query})
    if method in CONDITIONAL_METHODS:
        errors |= {412, 428}
        parameters.append({"in": "header", "name": "If-Match", "required": True,
                           "schema": {"type": "string"},
                           "description": "The ETag from your last GET of this resource"})
    if parameters:
        document["parameters"] = parameters
    if operation.request:
        document["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": operation.request}}}
    document["responses"] = {
        str(operation.status): _success_response(operation, method),
        **{str(status): _error_response(status) for status in sorted(errors)}}
    return document


def _success_response(operation: Operation, method: str) -> dict:
    if operation.file:
        return {"description": "The file", "content": {
            operation.file: {"schema": {"type": "string", "format": "binary"}}}}
    if operation.response is None:
        return {"description": "Done; no content"}
    if operation.paginated:
        schema = page_schema(operation.response)
    elif operation.many:
        schema = {"type": "array", "items": operation.response}
    else:
        schema = operation.response
    response = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    if method == "GET" and not (operation.many or operation.paginated):
        response["headers"] = {"ETag": {
            "required": True, "schema": {"type": "string"},
            "description": "Send it back in If-Match when you change this resource"}}
    return response


def _error_response(status: int) -> dict:
    response = {"description": ERROR_TEXT.get(status, "An error"),
                "content": {"application/json": {"schema": "Error"}}}
    if status == 429:
        response["headers"] = {"Retry-After": {
            "required": True, "schema": {"type": "integer"},
            "description": "Seconds until the token may send requests again"}}
    return response
