"""The OpenAPI 3.1 document of the emulated APIs and the admin API, built with apispec from the operation registry.

Every operation is recorded where its view is registered (mockserver.operations): path,
method, summary, request body schema, query schema, response component, success status
and the error statuses the server really answers. Each API describes itself once (an
ApiDoc: tag, security, error body, response components). The documented examples
(examples/) are attached to their operations.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from marshmallow import fields

from .. import __version__
from ..operations import ApiDoc, Operation, openapi_path
from .documented import load_examples

__all__ = ["build_document", "find_operation"]
JSON = "application/json"
# An operation as the registry lists it: (OpenAPI path, operation, its API's ApiDoc).
Registered = tuple[str, Operation, ApiDoc]

DESCRIPTION = """\
A local, stateful mock of the Shoppex Developer API (`/dev/v1`, bearer API key) and the
Shoplazza OpenAPI orders area (`/openapi/{version}`, `access-token` header), plus its
`/__admin` control plane. Each API key or access-token is its own namespace, seeded from
the fixtures on first use. A known path called with another method answers 405 in the
API's own error envelope, with an `Allow` header; an unknown path 404."""


def _name_resolver(schema) -> str:
    # A request schema is named after its API package (shoppex.CreateOrder); a response schema by its class name.
    cls = resolve_schema_cls(schema)
    package, _, module = cls.__module__.removeprefix("mockserver.").rpartition(".")
    base = cls.__name__.removesuffix("Schema")
    return f"{package}.{base}" if module == "schemas" and package else base


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _success_schema(op: Operation, api: ApiDoc) -> dict:
    if op.shape == "data":
        return {"type": "object", "required": ["data"], "properties": {"data": _ref(op.response)}}
    if op.shape == "page":
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {"data": {"type": "array", "items": _ref(op.response)}, "pagination": _ref(api.pagination)},
        }
    return _ref(op.response)


def _parameters(path: str, op: Operation, api: ApiDoc) -> list:
    params: list = []
    for name in re.findall(r"{(\w+)}", path):
        param = {"in": "path", "name": name, "required": True, "schema": {"type": "string", "minLength": 1}}
        seeded = next((value for prefix, value in api.path_examples.items() if path.startswith(prefix)), None)
        if name in api.path_parameters:
            param["schema"] = dict(api.path_parameters[name])
        elif seeded is not None:
            param["example"] = seeded
        params.append(param)
    if op.query_string is not None:
        params.append({"in": "query", "schema": op.query_string})
    if op.method in ("POST", "PUT", "PATCH"):
        params.extend(api.write_parameters)  # references to the components
    return params


def _operation(path: str, op: Operation, api: ApiDoc) -> dict:
    headers = {name: {"$ref": "#/components/headers/RequestId"} for name in ("x-request-id", *api.headers)}
    success: dict = {"description": "Success", "headers": headers}
    if op.shape == "empty":
        success["description"] = "Success, no body"
    else:
        success["content"] = {JSON: {"schema": _success_schema(op, api)}}
    operation: dict = {
        "tags": [api.tag],
        "summary": op.summary,
        "operationId": f"{api.tag.lower()}_{op.method.lower()}_{re.sub(r'[^A-Za-z0-9]+', '_', path).strip('_')}",
        "responses": {str(op.status): success},
    }
    parameters = _parameters(path, op, api)
    if parameters:
        operation["parameters"] = parameters
    if op.request_body is not None:
        operation["requestBody"] = {"required": False, "content": {JSON: {"schema": op.request_body}}}
    for status in op.errors:
        operation["responses"][str(status)] = {
            "description": api.error_text[status],
            "headers": headers,
            "content": {JSON: {"schema": _ref(api.error_schema)}},
        }
    if api.security:
        operation["security"] = list(api.security)
    return operation


def _register_field_types(plugin: MarshmallowPlugin, apis: list[ApiDoc]) -> None:
    """Teach apispec each API's own fields (money strings, tags, strict booleans, instants) and webhook URLs."""
    for api in apis:
        for field_class, openapi_type in api.field_types.items():
            plugin.map_to_openapi_type(field_class, *openapi_type)

    def custom(converter, field, ret, **kwargs) -> dict:
        schemes = [getattr(v, "schemes", None) for v in field.validators]
        if isinstance(field, fields.Url) and {"http", "https"} in schemes:
            # Webhook receivers: an http or https URL, no top-level domain needed (http://127.0.0.1:9000/hook).
            return {"format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "examples": ["http://127.0.0.1:9000/hook"]}
        for api in apis:
            properties = api.field_properties(field) if api.field_properties else {}
            if properties:
                # A None drops what apispec derived (a string-typed Decimal has no minimum).
                for key in [key for key, value in properties.items() if value is None]:
                    ret.pop(key, None)
                return {key: value for key, value in properties.items() if value is not None}
        return {}

    plugin.converter.add_attribute_function(custom)


def _apis(operations: tuple[Registered, ...]) -> list[ApiDoc]:
    # Each API once, in the order its first operation was registered.
    return list(dict.fromkeys(api for _, _, api in operations))


def _add_components(spec: APISpec, apis: list[ApiDoc]) -> None:
    """The request id header, then each API's security schemes, header parameters and schemas."""
    spec.components.header(
        "RequestId", {"description": "Request id (a well-formed X-Request-Id is echoed)", "required": True, "schema": {"type": "string"}}
    )
    for api in apis:
        for name, scheme in api.security_schemes.items():
            spec.components.security_scheme(name, scheme)
        for name, parameter in api.write_parameters.items():
            spec.components.parameter(name, parameter["in"], {k: v for k, v in parameter.items() if k != "in"})
    # Every API's schemas before any extra one (a nested schema may already be registered by another's).
    for api in apis:
        for name, schema in api.components:
            if name not in spec.components.schemas:
                spec.components.schema(name, schema=schema)
    for api in apis:
        for name, schema in api.extra_components.items():
            spec.components.schema(name, schema)


def build_spec(operations: tuple[Registered, ...]) -> APISpec:
    """The apispec APISpec with every registered operation, component and example."""
    apis = _apis(operations)
    plugin = MarshmallowPlugin(schema_name_resolver=_name_resolver)
    spec = APISpec(
        title="mockserver: Shoppex Developer API and Shoplazza OpenAPI (orders)",
        version=__version__,
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
        servers=[{"url": "/", "description": "this server"}],
        # One tag per name: an API may describe a route under another's tag (Shoplazza's simulation route is an admin one).
        tags=[{"name": tag} for tag in dict.fromkeys(api.tag for api in apis)],
    )
    _register_field_types(plugin, apis)
    _add_components(spec, apis)
    paths: dict[str, dict] = {}
    for path, op, api in operations:
        paths.setdefault(path, {})[op.method.lower()] = _operation(path, op, api)
    for path, methods in paths.items():
        spec.path(path=path, operations=methods)
    return spec


def build_document(operations: tuple[Registered, ...], routes: tuple[tuple[str, str, ApiDoc], ...] = ()) -> dict:
    """The OpenAPI 3.1 document as a dict, examples attached.

    `routes` are the app's (method, Flask rule, ApiDoc) of each API route: any that no
    registered operation describes gets a generic entry (tag "Undescribed"), so the
    document never leaves a route out.
    """
    document = build_spec(operations).to_dict()
    add_undescribed(document, routes)
    _plain_query_parameters(document)
    attach_examples(document, load_examples())
    return document


UNDESCRIBED = "Undescribed"


def add_undescribed(document: dict, routes: tuple[tuple[str, str, ApiDoc], ...]) -> None:
    """A loose entry for every route of an API (method, Flask rule, its ApiDoc) that no operation describes."""
    for method, rule, api in routes:
        path = openapi_path(rule)
        shape = re.sub(r"{\w+}", "{}", path)
        described = {re.sub(r"{\w+}", "{}", p) for p, ops in document["paths"].items() if method.lower() in ops}
        if shape in described:
            continue
        params = [{"in": "path", "name": n, "required": True, "schema": {"type": "string"}} for n in re.findall(r"{(\w+)}", path)]
        operation: dict = {
            "tags": [api.tag, UNDESCRIBED],
            "summary": f"{method} {path} (not described in detail yet)",
            "responses": {"default": {"description": "Any status, JSON", "content": {JSON: {"schema": {"type": "object"}}}}},
        }
        if params:
            operation["parameters"] = params
        if method in ("POST", "PUT", "PATCH"):
            operation["requestBody"] = {"required": False, "content": {JSON: {"schema": {"type": "object"}}}}
        if api.security:
            operation["security"] = list(api.security)
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
