"""GET /__admin/openapi.json: an OpenAPI 3.1 document true to the routes, the wire and the documented examples."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mockserver.openapi.document import OPERATIONS, find_operation
from mockserver.openapi.documented import load_examples

EXAMPLES = Path(__file__).parent / "examples"
SHIPPED = Path(__file__).parent.parent / "mockserver" / "openapi" / "examples"
SHOPPEX_AUTH = {"Authorization": "Bearer shx_openapi"}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/__admin/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def validator(document: dict, schema: dict) -> Draft202012Validator:
    """A validator for a schema of the document, its #/components refs resolvable."""
    return Draft202012Validator({**schema, "components": document["components"]})


def response_schema(document: dict, method: str, path: str, status: int) -> dict:
    found = find_operation(document, method, path)
    assert found is not None, f"{method} {path} is not documented"
    responses = found[1]["responses"]
    assert str(status) in responses, f"{method} {path}: {status} is not documented"
    return responses[str(status)]["content"]["application/json"]["schema"]


def test_document_header(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["shoppexBearer"] == {"type": "http", "scheme": "bearer", "description": "Shoppex API key"}
    assert schemes["shoplazzaAccessToken"]["type"] == "apiKey"
    assert (schemes["shoplazzaAccessToken"]["in"], schemes["shoplazzaAccessToken"]["name"]) == ("header", "access-token")
    # Every schema in the document is itself a valid JSON Schema 2020-12.
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema), name


def _template(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "{}", rule).rstrip("/")


def test_every_route_is_documented_and_nothing_else(app, document):
    """The document and the URL map list the same (method, path) pairs."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/dev/v1", "/openapi", "/__admin")):
            routes |= {(method.lower(), _template(rule.rule)) for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(method, re.sub(r"{\w+}", "{}", path)) for path, ops in document["paths"].items() for method in ops}
    assert documented == routes


def test_operations_have_auth_errors_and_request_ids(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if "Undescribed" in operation["tags"]:
                continue
            if path.startswith("/dev/v1"):
                assert operation["security"] == [{"shoppexBearer": []}] and "401" in codes, (method, path)
            elif path.startswith("/openapi"):
                assert operation["security"] == [{"shoplazzaAccessToken": []}] and {"401", "403", "404"} <= codes
            if "requestBody" in operation:
                assert {"413", "400"} <= codes, (method, path)
            for response in operation["responses"].values():
                assert "x-request-id" in response["headers"]


def test_shipped_examples_are_the_documented_ones():
    for api in ("shoppex", "shoplazza"):
        tests_copy = {p.name: json.loads(p.read_text()) for p in (EXAMPLES / api).glob("*.json")}
        shipped = {p.name: json.loads(p.read_text()) for p in (SHIPPED / api).glob("*.json")}
        assert shipped == tests_copy, f"mockserver/openapi/examples/{api} is out of date with tests/examples/{api}"


def test_every_example_is_attached(document):
    examples = load_examples()
    assert len(examples) == len(list(EXAMPLES.glob("*/*.json")))
    for example in examples:
        request, response = example["request"], example["response"]
        _, operation = find_operation(document, request["method"], request["path"])
        media = operation["responses"][str(response["status"])]["content"]["application/json"]
        assert media["examples"][example["name"]]["value"] == response["body"]
        if "body" in request and "requestBody" in operation:
            assert operation["requestBody"]["content"]["application/json"]["examples"][example["name"]]["value"] == request["body"]


def _seconds(frozen_at) -> float:
    if isinstance(frozen_at, str):
        return datetime.fromisoformat(frozen_at.replace("Z", "+00:00")).timestamp()
    return float(frozen_at)


@pytest.mark.parametrize("example", load_examples(), ids=lambda e: e["name"])
def test_documented_example_responses_match_the_document(client, runtime, document, example):
    """Replaying each example gives a response the document describes; full documented bodies match too."""
    request, expected = example["request"], example["response"]
    runtime.clock.freeze(_seconds(example["frozen_at"]))
    headers = dict(SHOPPEX_AUTH) if example["api"] == "shoppex" else {"access-token": f"openapi-{example['name']}"}
    response = client.open(request["path"], method=request["method"], json=request.get("body"), headers=headers)
    assert response.status_code == expected["status"]
    schema = response_schema(document, request["method"], request["path"], expected["status"])
    validator(document, schema).validate(response.get_json())
    if "note" not in example:  # Shoplazza's documented bodies elide fields (and "message")
        validator(document, schema).validate(expected["body"])


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("GET", "/dev/v1/orders/nope", None, SHOPPEX_AUTH, 404),
        ("GET", "/dev/v1/orders", None, {}, 401),
        ("GET", "/dev/v1/orders?limit=0", None, SHOPPEX_AUTH, 422),
        ("POST", "/dev/v1/orders/ord_123/refund", {"amount": 10}, SHOPPEX_AUTH, 422),
        ("GET", "/openapi/2025-06/orders/nope", None, {"access-token": "t"}, 404),
        ("GET", "/openapi/1999-01/orders", None, {"access-token": "t"}, 404),
        ("GET", "/openapi/2025-06/orders?page_size=0", None, {"access-token": "t"}, 400),
        ("GET", "/openapi/2025-06/orders", None, {}, 401),
        ("POST", "/__admin/requests/count", {"limit": 0}, {}, 422),
    ],
)
def test_errors_match_the_document(client, document, method, path, body, headers, status):
    response = client.open(path, method=method, json=body, headers=headers)
    assert response.status_code == status
    schema = response_schema(document, method, path.partition("?")[0], status)
    validator(document, schema).validate(response.get_json())


def test_table_lists_each_operation_once():
    keys = [(op.method, op.path) for op in OPERATIONS]
    assert len(keys) == len(set(keys))
