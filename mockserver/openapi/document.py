"""The OpenAPI 3.1 document of both emulated APIs and the admin API, built with apispec.

Every operation is one row of operations.OPERATIONS: path, method, summary, request body
schema, query schema, response schema, success status and the error statuses the server
really answers. Request schemas are the ones the views validate with; response schemas are
in responses.py. The documented examples (examples/) are attached to their operations.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import fields

from .. import __version__
from ..admin import schemas as ad
from ..idempotency import HEADER as IDEMPOTENCY_HEADER
from ..idempotency import MAX_KEY_LENGTH
from ..shoplazza import schemas as lz
from ..shoplazza.views import VERSIONS
from ..shoppex import schemas as sx
from ..shoppex.webhooks import EVENTS as SHOPPEX_EVENTS
from . import responses
from .documented import load_examples
from .operations import ADMIN, ERROR_SCHEMA, ERROR_TEXT, OPERATIONS, PATH_EXAMPLES, SHOPLAZZA, SHOPPEX, Op

__all__ = ["OPERATIONS", "Op", "build_document", "find_operation"]
SHOPPEX_SECURITY = [{"shoppexBearer": []}]
SHOPLAZZA_SECURITY = [{"shoplazzaAccessToken": []}]
JSON = "application/json"
DX = "/dev/v1"

DESCRIPTION = """\
A local, stateful mock of the Shoppex Developer API (`/dev/v1`, bearer API key) and the
Shoplazza OpenAPI orders area (`/openapi/{version}`, `access-token` header), plus its
`/__admin` control plane. Each API key or access-token is its own namespace, seeded from
the fixtures on first use. A known path called with another method answers 405 in the
API's own error envelope, with an `Allow` header; an unknown path 404."""


def _name_resolver(schema) -> str:
    cls = resolve_schema_cls(schema)
    module = cls.__module__
    base = cls.__name__.removesuffix("Schema")
    if module == sx.__name__:
        return f"shoppex.{base}"
    if module == lz.__name__:
        return f"shoplazza.{base}"
    if module == ad.__name__:
        return f"admin.{base}"
    return base


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _success_schema(op: Op) -> dict:
    if op.shape == "data":
        return {"type": "object", "required": ["data"], "properties": {"data": _ref(op.response)}}
    if op.shape == "page":
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {"data": {"type": "array", "items": _ref(op.response)}, "pagination": _ref("ShoppexPagination")},
        }
    return _ref(op.response)


def _request_id_headers(api: str) -> dict:
    headers = {"x-request-id": {"$ref": "#/components/headers/RequestId"}}
    if api == SHOPLAZZA:
        headers["Request-Id"] = {"$ref": "#/components/headers/RequestId"}
    return headers


def _parameters(op: Op) -> list:
    params: list = []
    for name in re.findall(r"{(\w+)}", op.path):
        param = {"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
        if name == "version":
            param["schema"] = {"type": "string", "enum": list(VERSIONS)}
        elif op.path.startswith(tuple(PATH_EXAMPLES)):
            prefix = next(p for p in PATH_EXAMPLES if op.path.startswith(p))
            param["example"] = PATH_EXAMPLES[prefix]
        params.append(param)
    if op.query is not None:
        params.append({"in": "query", "schema": op.query})
    if op.api == SHOPPEX and op.method in ("post", "put", "patch"):
        params.append("IdempotencyKey")  # a reference to the component
    return params


def _operation(op: Op) -> dict:
    headers = _request_id_headers(op.api)
    success: dict = {"description": "Success", "headers": headers}
    if op.shape == "empty":
        success["description"] = "Success, no body"
    else:
        success["content"] = {JSON: {"schema": _success_schema(op)}}
    operation: dict = {
        "tags": [op.api],
        "summary": op.summary,
        "operationId": f"{op.api.lower()}_{op.method}_{re.sub(r'[^A-Za-z0-9]+', '_', op.path).strip('_')}",
        "responses": {str(op.status): success},
    }
    parameters = _parameters(op)
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {"required": False, "content": {JSON: {"schema": op.body}}}
    for status in op.errors:
        operation["responses"][str(status)] = {
            "description": ERROR_TEXT[op.api][status],
            "headers": headers,
            "content": {JSON: {"schema": _ref(ERROR_SCHEMA[op.api])}},
        }
    if op.api == SHOPPEX:
        operation["security"] = SHOPPEX_SECURITY
    elif op.api == SHOPLAZZA:
        operation["security"] = SHOPLAZZA_SECURITY
    return operation


def _register_field_types(plugin: MarshmallowPlugin) -> None:
    """Teach apispec the Shoplazza custom fields (money strings, tags, strict booleans) and webhook URLs."""
    plugin.map_to_openapi_type(lz.Money, "string", None)
    plugin.map_to_openapi_type(lz.StrictBool, "boolean", None)
    plugin.map_to_openapi_type(ad.Instant, ["number", "string"], None)

    def custom(converter, field, ret, **kwargs) -> dict:
        if isinstance(field, fields.Decimal) and field.parent is not None and type(field.parent) is sx.RefundSchema:
            # Shoppex refund amounts travel as JSON strings ("10.00"); a number is refused.
            for key in ("minimum", "maximum", "type"):
                ret.pop(key, None)
            return {"type": "string", "pattern": r"^[0-9]*[1-9][0-9]*(\.[0-9]{1,2})?$|^0*\.(0[1-9]|[1-9][0-9]?)$", "examples": ["10.00"]}
        schemes = [getattr(v, "schemes", None) for v in field.validators]
        if isinstance(field, fields.Url) and {"http", "https"} in schemes:
            # Webhook receivers: an http or https URL, no top-level domain needed (http://127.0.0.1:9000/hook).
            return {"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "examples": ["http://127.0.0.1:9000/hook"]}
        if isinstance(field, lz.Money):
            return {"pattern": r"^\d+(\.\d+)?$", "examples": ["16.99"]}
        if isinstance(field, lz.Tags):
            return {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}
        return {}

    plugin.converter.add_attribute_function(custom)


def build_spec() -> APISpec:
    """The apispec APISpec with every operation, component and example."""
    plugin = MarshmallowPlugin(schema_name_resolver=_name_resolver)
    spec = APISpec(
        title="mockserver: Shoppex Developer API and Shoplazza OpenAPI (orders)",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
        servers=[{"url": "/", "description": "this server"}],
        tags=[{"name": SHOPPEX}, {"name": SHOPLAZZA}, {"name": ADMIN}],
    )
    _register_field_types(plugin)
    spec.components.security_scheme("shoppexBearer", {"type": "http", "scheme": "bearer", "description": "Shoppex API key"})
    spec.components.security_scheme(
        "shoplazzaAccessToken", {"type": "apiKey", "in": "header", "name": "access-token", "description": "Shoplazza access-token"}
    )
    spec.components.header(
        "RequestId", {"description": "Request id (a well-formed X-Request-Id is echoed)", "required": True, "schema": {"type": "string"}}
    )
    spec.components.parameter(
        "IdempotencyKey",
        "header",
        {
            "name": IDEMPOTENCY_HEADER,
            "description": "Replays the first response for 24 h; a different request under the same key is a 422.",
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"\S"},
        },
    )
    for name, schema in responses.components():
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=schema)
    spec.components.schema("OpenAPIDocument", {"type": "object", "required": ["openapi", "paths"], "additionalProperties": True})
    spec.components.schema("ShoppexWebhookEvents", {"type": "array", "items": {"type": "string", "enum": list(SHOPPEX_EVENTS)}})

    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec


def build_document(routes: tuple[tuple[str, str], ...] = ()) -> dict:
    """The OpenAPI 3.1 document as a dict, examples attached.

    `routes` are the app's (method, Flask rule) pairs: any under an API prefix that
    OPERATIONS does not describe yet gets a generic entry (tag "Undescribed"), so the
    document never leaves a route out.
    """
    document = build_spec().to_dict()
    add_undescribed(document, routes)
    _plain_query_parameters(document)
    attach_examples(document, load_examples())
    return document


PREFIXES = {DX: SHOPPEX, "/openapi": SHOPLAZZA, "/__admin": ADMIN}
UNDESCRIBED = "Undescribed"


def add_undescribed(document: dict, routes: tuple[tuple[str, str], ...]) -> None:
    """A loose entry for every route the table does not describe yet."""
    for method, rule in routes:
        api = next((name for prefix, name in PREFIXES.items() if rule.startswith(prefix)), None)
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).rstrip("/") or "/"
        shape = re.sub(r"{\w+}", "{}", path)
        described = {re.sub(r"{\w+}", "{}", p) for p, ops in document["paths"].items() if method.lower() in ops}
        if api is None or shape in described:
            continue
        params = [{"in": "path", "name": n, "required": True, "schema": {"type": "string"}} for n in re.findall(r"{(\w+)}", path)]
        operation: dict = {
            "tags": [api, UNDESCRIBED],
            "summary": f"{method} {path} (not described in detail yet)",
            "responses": {"default": {"description": "Any status, JSON", "content": {JSON: {"schema": {"type": "object"}}}}},
        }
        if params:
            operation["parameters"] = params
        if method in ("POST", "PUT", "PATCH"):
            operation["requestBody"] = {"required": False, "content": {JSON: {"schema": {"type": "object"}}}}
        if api != ADMIN:
            operation["security"] = SHOPPEX_SECURITY if api == SHOPPEX else SHOPLAZZA_SECURITY
        document["paths"].setdefault(path, {})[method.lower()] = operation


def _plain_query_parameters(document: dict) -> None:
    """A query parameter is absent or a string, never JSON null: drop the null apispec adds for load_default=None."""
    for operations in document["paths"].values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                schema = param.get("schema", {})
                if param.get("in") == "query" and isinstance(schema.get("type"), list):
                    schema["type"] = [t for t in schema["type"] if t != "null"]
                    schema["type"] = schema["type"][0] if len(schema["type"]) == 1 else schema["type"]
                    if schema.get("default", 0) is None:
                        del schema["default"]


def _template_regex(path: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$")


def find_operation(document: dict, method: str, path: str) -> tuple[str, dict] | None:
    """The (template, operation) a concrete request (method, path) belongs to."""
    # Literal segments beat parameters: try templates with fewer parameters first.
    for template in sorted(document["paths"], key=lambda t: t.count("{")):
        operation = document["paths"][template].get(method.lower())
        if operation is not None and _template_regex(template).match(path):
            return template, operation
    return None


def attach_examples(document: dict, examples: list[dict]) -> None:
    """Put each documented example on its operation: request body, path parameters, response."""
    for example in examples:
        request, response, name = example["request"], example["response"], example["name"]
        found = find_operation(document, request["method"], request["path"])
        if found is None:
            raise LookupError(f"example {name}: no operation for {request['method']} {request['path']}")
        template, operation = found
        summary = example.get("source", name)
        note = {"description": example["note"]} if example.get("note") else {}
        values = re.match(_template_regex(template).pattern.replace("[^/]+", "([^/]+)"), request["path"]).groups()
        for param, value in zip(re.findall(r"{(\w+)}", template), values, strict=True):
            for spec in operation.get("parameters", []):
                if spec.get("in") == "path" and spec.get("name") == param:
                    # `example` and `examples` exclude each other: the seeded id becomes one of the examples.
                    if "example" in spec:
                        spec["examples"] = {"seeded": {"summary": "a seeded record", "value": spec.pop("example")}}
                    spec.setdefault("examples", {})[name] = {"summary": summary, "value": value}
        if "body" in request and "requestBody" in operation:
            media = operation["requestBody"]["content"][JSON]
            media.setdefault("examples", {})[name] = {"summary": summary, "value": request["body"]}
        media = operation["responses"][str(response["status"])]["content"][JSON]
        media.setdefault("examples", {})[name] = {"summary": summary, **note, "value": response["body"]}
