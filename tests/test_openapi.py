"""GET /__admin/openapi.json: an OpenAPI 3.1 document true to the routes, the wire and the documented examples."""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from mockserver.labels import namespace_label
from mockserver.openapi.document import find_operation
from mockserver.openapi.documented import load_examples
from mockserver.operations import registered

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


def test_no_route_is_left_undescribed(document):
    """Every route is registered as an operation: the generic `Undescribed` fallback lists nothing."""
    undescribed = [
        f"{method.upper()} {path}" for path, ops in document["paths"].items() for method, op in ops.items() if "Undescribed" in op["tags"]
    ]
    assert undescribed == [], f"register these views with mockserver.operations.operation: {undescribed}"
    assert [tag["name"] for tag in document["tags"]] == ["Shoppex", "Shoplazza", "Admin"]


def test_operations_have_auth_errors_and_request_ids(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
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


def test_registry_lists_each_operation_once(app):
    keys = [(op.method, path) for path, op, _ in registered(app)]
    assert len(keys) == len(set(keys))


def _check(document: dict, response, method: str, path: str) -> dict | None:
    """`response` has a status the operation documents, and a body its schema accepts (or no body if none is documented)."""
    found = find_operation(document, method, path)
    assert found is not None, f"{method} {path} is not documented"
    documented = found[1]["responses"].get(str(response.status_code))
    assert documented is not None, f"{method} {path}: {response.status_code} is not documented"
    assert "x-request-id" in response.headers
    if "content" not in documented:
        assert response.get_data() == b""
        return None
    assert response.mimetype == "application/json"
    body = response.get_json()
    validator(document, documented["content"]["application/json"]["schema"]).validate(body)
    return body


def test_shoppex_webhooks_match_the_document(client, runtime, document):
    """A subscription's whole life, and its delivery log, as the document describes it."""
    runtime.deliveries.enabled = False  # log deliveries, send nothing
    base, auth = "/dev/v1/webhooks", SHOPPEX_AUTH

    def call(method, path, body=None, status=200):
        response = client.open(path, method=method, json=body, headers=auth)
        assert response.status_code == status, response.get_data(as_text=True)
        return _check(document, response, method, path.partition("?")[0])

    created = call("POST", base, {"url": "http://127.0.0.1:9/hook", "events": ["order:paid", "order:created"]}, 201)
    hook = created["data"]["id"]
    assert call("GET", f"{base}/{hook}")["data"]["enabled"] is True
    assert call("GET", base)["data"][0]["id"] == hook
    assert "order:paid" in call("GET", f"{base}/events")["data"]
    assert call("PATCH", f"{base}/{hook}", {"enabled": False, "type": "zapier"})["data"]["type"] == "zapier"
    delivery = call("POST", f"{base}/{hook}/test")["data"]["id"]
    assert call("POST", f"{base}/{hook}/rotate-secret")["data"]["secret"].startswith("whsec_")
    logs = call("GET", f"{base}/logs?page=1&limit=1")
    assert logs["pagination"] == {"total": 1, "page": 1, "per_page": 1, "limit": 1, "total_pages": 1, "has_more": False}
    assert logs["data"][0]["id"] == delivery and logs["data"][0]["status"] == "pending"
    call("GET", f"{base}/logs?page=0", status=422)
    call("POST", f"{base}/logs/dlv_nope/retry", status=404)
    call("PATCH", f"{base}/{hook}", {"events": []}, 422)
    call("POST", base, {"url": "ftp://example.test/", "events": ["order:paid"]}, 422)
    assert call("DELETE", f"{base}/{hook}", status=204) is None
    for method in ("GET", "DELETE"):
        assert call(method, f"{base}/{hook}", status=404)["error"]["code"] == "NOT_FOUND"
    for action in ("test", "rotate-secret"):
        call("POST", f"{base}/{hook}/{action}", status=404)
    assert client.get(base).status_code == 401


def test_shoplazza_webhooks_match_the_document(client, runtime, document):
    runtime.deliveries.enabled = False
    base, auth = "/openapi/2026-01/webhooks", {"access-token": "openapi-webhooks"}

    def call(method, path, body=None, status=200):
        response = client.open(path, method=method, json=body, headers=auth)
        assert response.status_code == status, response.get_data(as_text=True)
        return _check(document, response, method, path.partition("?")[0])

    created = call("POST", base, {"webhook": {"address": "http://127.0.0.1:9/hook", "topic": "orders/create"}})
    hook = created["data"]["webhook"]["id"]
    call("POST", base, {"webhook": {"address": "http://127.0.0.1:9/hook", "topic": "orders/create"}}, 400)  # a duplicate
    assert call("GET", f"{base}/{hook}")["data"]["webhook"]["format"] == "json"
    assert call("PUT", f"{base}/{hook}", {"webhook": {"topic": "orders/update"}})["data"]["webhook"]["topic"] == "orders/update"
    assert call("GET", f"{base}?topic=orders/update,orders/create&page_size=1")["data"]["webhooks"][0]["id"] == hook
    assert call("GET", f"{base}/count?address=http://127.0.0.1:9/hook")["data"]["count"] == 1
    call("GET", f"{base}?page_size=0", status=400)
    call("GET", f"{base}/count?topic=nope", status=400)
    # An order change fires the topic: its delivery is logged (not sent) and shown by the admin API.
    call("PUT", "/openapi/2026-01/orders/365154185097449134715", {"order": {"note": "hi"}})
    deliveries = client.get("/__admin/webhooks?api=shoplazza&namespace=openapi-webhooks")
    found = _check(document, deliveries, "GET", "/__admin/webhooks")["deliveries"]
    assert [d["event"] for d in found] == ["orders/update"] and found[0]["status"] == "not_sent"
    assert call("DELETE", f"{base}/{hook}")["data"] == {}
    call("GET", f"{base}/{hook}", status=404)
    call("GET", "/openapi/1999-01/webhooks", status=404)


def test_admin_webhooks_match_the_document(client, runtime, document):
    runtime.deliveries.enabled = False
    client.post("/dev/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": ["order:paid"]}, headers=SHOPPEX_AUTH)
    hook = client.get("/dev/v1/webhooks", headers=SHOPPEX_AUTH).get_json()["data"][0]["id"]
    client.post(f"/dev/v1/webhooks/{hook}/test", headers=SHOPPEX_AUTH)
    listed = _check(document, client.get("/__admin/webhooks?status=not_sent"), "GET", "/__admin/webhooks")["deliveries"]
    assert len(listed) == 1 and listed[0]["namespace"] == namespace_label("shx_openapi") and listed[0]["webhook_id"] == hook
    assert _check(document, client.get("/__admin/webhooks?event=nope"), "GET", "/__admin/webhooks") == {"deliveries": []}
    missing = client.post("/__admin/webhooks/dlv_nope/redeliver")
    assert missing.status_code == 404
    _check(document, missing, "POST", "/__admin/webhooks/dlv_nope/redeliver")


@pytest.mark.parametrize(
    "path, headers, unwrap, dropped",
    [
        ("/dev/v1/orders/ord_123", SHOPPEX_AUTH, lambda b: b["data"], ("gateway", "customer_id", "custom_fields", "items")),
        ("/dev/v1/products/prod_2", SHOPPEX_AUTH, lambda b: b["data"], ("stock", "variants", "description")),
        ("/dev/v1/coupons/code/SPRING10", SHOPPEX_AUTH, lambda b: b["data"], ("max_uses", "used")),
        (
            "/openapi/2025-06/orders/365154185097449134715",
            {"access-token": "openapi-required"},
            lambda b: b["data"]["order"],
            ("placed_at", "payment_lines", "buyer_accepts_marketing", "config", "last_referrer_show"),
        ),
    ],
)
def test_a_response_missing_a_field_the_server_always_returns_does_not_match(client, document, path, headers, unwrap, dropped):
    from jsonschema import ValidationError

    response = client.get(path, headers=headers)
    schema = validator(document, response_schema(document, "GET", path, 200))
    body = response.get_json()
    schema.validate(body)
    for name in dropped:
        broken = copy.deepcopy(body)
        del unwrap(broken)[name]
        with pytest.raises(ValidationError, match=name):
            schema.validate(broken)


def test_every_shoplazza_order_field_and_line_item_field_is_required(client, document):
    """The fields both versions show are required; each version's own fields are declared too."""
    old, new = (
        client.get(f"/openapi/{version}/orders/365154185097449134715", headers={"access-token": "openapi-all"}).get_json()["data"]["order"]
        for version in ("2025-06", "2026-01")
    )
    schemas = document["components"]["schemas"]
    for name, (old_fields, new_fields) in {
        "ShoplazzaOrder": (set(old), set(new)),
        "ShoplazzaLineItem": (set(old["line_items"][0]), set(new["line_items"][0])),
    }.items():
        assert set(schemas[name]["required"]) == old_fields & new_fields
        assert set(schemas[name]["properties"]) >= old_fields | new_fields
