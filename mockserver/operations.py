"""The operation registry: one decorator declares a route, loads its body and query with marshmallow, and records it.

`@operation("POST", "/orders", summary, body=CreateOrderSchema, response="ShoppexOrder", status=201)`
marks a view; nothing is registered at import. `attach(bp, module, ...)` puts every operation of
those modules on a blueprint when the app is created; the view is then called with `body=` (and
`query=`) already validated. `registered(app)` lists every operation of an app for the OpenAPI
document, and an API describes itself to it once, with `describe(bp, ApiDoc(...))`. Imports no API package.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FunctionType, ModuleType

from flask import Blueprint, request
from marshmallow import Schema

from .http import json_body, load

SHAPES = ("data", "page", "raw", "empty")


@dataclass(frozen=True)
class Operation:
    """One method on one route: the summary, schemas and statuses the document shows.

    `response` is a component name wrapped by `shape` ("data": `{"data": ...}`, "page": a list and
    its pagination, "raw": the component itself, "empty": no body). `body` and `query` are loaded and passed to
    the view; `described_body` and `described_query` are only shown (the view parses them itself).
    """

    method: str
    rule: str
    summary: str
    response: str = ""
    errors: tuple[int, ...] = ()
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    described_body: type[Schema] | None = None
    described_query: type[Schema] | None = None
    status: int = 200
    shape: str = "data"
    # Further add_url_rule options (strict_slashes, ...), as (name, value) pairs.
    options: tuple[tuple[str, object], ...] = ()

    @property
    def request_body(self) -> type[Schema] | None:
        """The body schema the document shows."""
        return self.body or self.described_body

    @property
    def query_string(self) -> type[Schema] | None:
        """The query schema the document shows."""
        return self.query or self.described_query


@dataclass(frozen=True, eq=False)
class ApiDoc:
    """How the document shows one API (one blueprint): its tag, security, error body and components."""

    tag: str
    error_schema: str
    error_text: dict[int, str]
    components: tuple[tuple[str, type[Schema]], ...] = ()
    # The component of a "page" operation's pagination object.
    pagination: str = ""
    extra_components: dict[str, dict] = field(default_factory=dict)
    security: tuple[dict, ...] = ()
    security_schemes: dict[str, dict] = field(default_factory=dict)
    # Response headers besides x-request-id, and header parameters every POST, PUT and PATCH takes.
    headers: tuple[str, ...] = ()
    write_parameters: dict[str, dict] = field(default_factory=dict)
    # The schema of a path parameter by name, and a seeded value by path template (so a parameter has one that exists).
    path_parameters: dict[str, dict] = field(default_factory=dict)
    path_examples: dict[str, str] = field(default_factory=dict)
    # The API's own marshmallow field classes: their OpenAPI type, and extra properties for a field.
    field_types: dict[type, object] = field(default_factory=dict)
    field_properties: Callable | None = None


def describe(bp: Blueprint, doc: ApiDoc) -> None:
    """Tell the document how to show `bp`'s operations."""
    bp.api_doc = doc


def operation(method: str, rule: str, summary: str, **spec) -> Callable:
    """Declare the decorated view as `method` `rule` (blueprint-relative), its body/query loaded by the given schemas.

    Keyword arguments are the Operation's fields; any others (strict_slashes, ...) go to add_url_rule.
    """
    options = tuple((key, spec.pop(key)) for key in list(spec) if key not in Operation.__dataclass_fields__)
    op = Operation(method.upper(), rule, summary, **spec, options=options)
    if op.shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {op.shape!r}")

    def declare(view: Callable) -> Callable:
        # One handler per view, so a view may carry several operations (PATCH and its PUT alias).
        handler = view.__dict__.get("handler") or _handler(view)
        view.handler = handler
        handler.operations[op.method] = op
        return view

    return declare


def attach(bp: Blueprint, *modules: ModuleType) -> Blueprint:
    """Register on `bp` every operation declared in `modules` (in the order they were written); returns `bp`."""
    for module in modules:
        for view in list(vars(module).values()):
            # Functions written in the module (not imported ones, nor Flask's context proxies) that declare operations.
            if not isinstance(view, FunctionType) or view.__module__ != module.__name__ or "handler" not in view.__dict__:
                continue
            handler = view.handler
            for op in reversed(handler.operations.values()):
                bp.add_url_rule(op.rule, view.__name__, handler, methods=[op.method], **dict(op.options))
    return bp


def _handler(view: Callable) -> Callable:
    def handle(**path_args):
        # HEAD is answered by the GET view.
        op = handle.operations["GET" if request.method == "HEAD" else request.method]
        # The body first, then the query string, each validated by its schema (a 422 naming the field).
        loaded = {}
        if op.body is not None:
            loaded["body"] = load(op.body(), json_body())
        if op.query is not None:
            loaded["query"] = load(op.query(), request.args)
        return view(**path_args, **loaded)

    handle.__name__, handle.__doc__, handle.operations = view.__name__, view.__doc__, {}
    return handle


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path template (`<order_id>` -> `{order_id}`)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule).rstrip("/") or "/"


def registered(app) -> Iterator[tuple[str, Operation, ApiDoc]]:
    """(OpenAPI path, operation, its API's ApiDoc) of every recorded operation of `app`, in registration order."""
    for rule in app.url_map.iter_rules():
        operations = getattr(app.view_functions[rule.endpoint], "operations", None)
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        doc = getattr(blueprint, "api_doc", None)
        if not operations or doc is None:
            continue
        for method in sorted(rule.methods & set(operations)):
            # A view attached under several rules shows each operation under its own rule only.
            if operations[method].rule == rule.rule.removeprefix(blueprint.url_prefix or ""):
                yield openapi_path(rule.rule), operations[method], doc
