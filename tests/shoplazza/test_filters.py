"""Every list filter the registry documents for GET orders and orders/count is honoured, or refused naming it; none is ignored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conformance import COMMANDS
from .helpers import ORDER_ID, TOKEN, error_of, snapshot

# Parameters that shape the answer or qualify another filter; every other one selects orders.
MODIFIERS = ("cursor", "page_size", "sort_by", "sort_direction", "keyword_scope_fields", "fuzzy_relation", "admin_hasfilter")
# A value no order holds, by registry parameter type (a time bound before any order existed).
NOTHING = {"string": "no-such-value", "array": "no-such-value", "number": "99999999", "boolean": "true"}
EARLY = "2000-01-01T00:00:00Z"
# Filters that only work in pairs are sent with their other half.
FUZZY_NOTHING = {"fuzzy_fields": "sku", "fuzzy_keywords": "no-such-value"}
# A stored order that only a fixture can make: the seeded one, with cart recovery waiting, at a location.
RECOVERING_ID = "365154185097449139999"
SEED = json.loads(next((Path(__file__).parents[2] / "fixtures" / "shoplazza" / "orders").glob("*.json")).read_text())
DEPOT = {"id": "l1", "location_id": "loc-1", "location_name": "Depot"}


def _filters(command_id: str) -> list[dict]:
    return [p for p in COMMANDS[command_id]["parameters"] if p["in"] == "query" and p["name"] not in MODIFIERS]


def _nothing(param: dict) -> str:
    if param["name"].endswith("_max"):
        return {"string": EARLY, "number": "0"}[param["type"]]
    return NOTHING[param["type"]]


def _matched(api, path: str, query) -> set[str] | int | None:
    response = api.get(path, query=query)
    if response.status_code == 400:
        return None
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    return data["count"] if path == "orders/count" else {order["id"] for order in data["orders"]}


@pytest.fixture
def orders(api, client) -> dict[str, str]:
    """The seeded order, one created through the API, and one loaded from a fixture."""
    created = api.create()
    recovering = {**SEED, "id": RECOVERING_ID, "number": "1999", "recovery_status": "waiting", "location_line": DEPOT}
    response = client.post(f"/__admin/fixtures?namespace={TOKEN}", json={"records": {"shoplazza.orders": [recovering]}})
    assert response.status_code == 200, response.get_json()
    return {"seeded": ORDER_ID, "created": created["id"], "recovering": RECOVERING_ID}


@pytest.mark.parametrize("command", ["orders", "order-count"])
def test_no_documented_filter_is_ignored(api, orders, command):
    """Each registry filter with a value no order holds selects nothing or is refused naming it."""
    path = "orders" if command == "orders" else "orders/count"
    assert _matched(api, path, {}) in ({*orders.values()}, 3)
    for param in _filters(command):
        query = FUZZY_NOTHING if param["name"] in FUZZY_NOTHING else {param["name"]: _nothing(param)}
        response = api.get(path, query=query)
        if response.status_code == 400:
            assert error_of(response, 400, "InvalidParameter").startswith(param["name"]), param
        else:
            assert _matched(api, path, query) in (set(), 0), param["name"]


CASES = [
    ({"skus": "NOPE"}, []),
    ({"skus": "TSHIRT-BL-M"}, ["seeded", "recovering"]),
    ({"skus": "tshirt-bl-m"}, []),
    ({"spus": "SPU-TSHIRT"}, ["seeded", "recovering"]),
    ({"product_ids": "p1"}, ["created"]),
    ({"order_tags": ["nope", "vip"]}, ["created"]),
    ({"order_tags": "vi"}, []),
    ({"sales_platform": "openapi"}, ["created"]),
    ({"sales_platform": ["online_store", "pos"]}, ["seeded", "recovering"]),
    ({"recovery_status": "waiting"}, ["recovering"]),
    ({"recovery_status": ["sending", "success"]}, []),
    ({"location_id": "loc-1"}, ["recovering"]),
    ({"customer_emails": "JANE.DOE@example.com"}, ["seeded", "recovering"]),
    ({"shipping_emails": "ada@example.com"}, ["created"]),
    ({"shipping_phones": "4155550100"}, ["seeded", "recovering"]),
    ({"browser_ips": "203.0.113.24"}, ["seeded", "recovering"]),
    ({"keyword": "1001", "keyword_scope_fields": "order_no"}, ["seeded"]),
    ({"keyword": "jane", "keyword_scope_fields": "order_no"}, []),
    ({"keyword": "JANE", "keyword_scope_fields": ["order_no", "email"]}, ["seeded", "recovering"]),
    ({"fuzzy_fields": "sku", "fuzzy_keywords": "tshirt"}, ["seeded", "recovering"]),
    ({"fuzzy_fields": "tag_list", "fuzzy_keywords": "vi"}, ["created"]),
    ({"fuzzy_fields": ["name", "number"], "fuzzy_keywords": ["ada", "1999"]}, ["created", "recovering"]),
    ({"fuzzy_fields": ["name", "number"], "fuzzy_keywords": ["ada", "1999"], "fuzzy_relation": "AND"}, []),
    ({"fuzzy_fields": ["name", "sku"], "fuzzy_keywords": ["jane", "tshirt"], "fuzzy_relation": "and"}, ["seeded", "recovering"]),
    ({"fuzzy_fields": ["name", "tag_list"], "fuzzy_keywords": ["jane"], "fuzzy_relation": "and"}, []),
    ({"fuzzy_fields": "shipping_line_name", "fuzzy_keywords": "royal"}, ["created"]),
    ({"fuzzy_fields": "product_title", "fuzzy_keywords": "sticker"}, ["created"]),
    ({"fuzzy_fields": "country", "fuzzy_keywords": "united"}, ["seeded", "recovering"]),
    ({"fuzzy_fields": ["shop_name", "staff_contact"], "fuzzy_keywords": "a"}, []),
    ({"finished_at_min": EARLY}, []),
    ({"fulfilled_at_min": EARLY}, []),
    (
        {"source_name_created_at_min": "2025-10-31T00:00:00Z", "source_name_created_at_max": "2025-10-31T23:59:59Z"},
        ["seeded", "recovering"],
    ),
    ({"last_referrer_show_created_at_min": EARLY}, ["seeded", "recovering"]),
    ({"admin_hasfilter": "false"}, ["seeded", "created", "recovering"]),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_each_filter_selects_what_it_documents(api, orders, query, expected):
    wanted = {orders[name] for name in expected}
    assert _matched(api, "orders", query) == wanted
    assert _matched(api, "orders/count", query) == len(wanted)


REFUSED = [
    ({"fuzzy_fields": "colour", "fuzzy_keywords": "x"}, "fuzzy_fields"),
    ({"fuzzy_fields": "sku"}, "fuzzy_keywords"),
    ({"fuzzy_keywords": "x"}, "fuzzy_fields"),
    ({"fuzzy_fields": "sku", "fuzzy_keywords": "x", "fuzzy_relation": "xor"}, "fuzzy_relation"),
    ({"keyword": "x", "keyword_scope_fields": "colour"}, "keyword_scope_fields"),
    ({"recovery_status": "lost"}, "recovery_status"),
    ({"finished_at_min": "yesterday"}, "finished_at_min"),
    ({"fulfilled_at_max": "2025-13-01T00:00:00Z"}, "fulfilled_at_max"),
    ({"admin_hasfilter": "true"}, "admin_hasfilter"),
    ({"admin_hasfilter": "maybe"}, "admin_hasfilter"),
]


@pytest.mark.parametrize(("query", "field"), REFUSED, ids=[f for _, f in REFUSED])
@pytest.mark.parametrize("path", ["orders", "orders/count"])
def test_a_filter_that_cannot_be_honoured_is_refused_naming_it(api, runtime, path, query, field):
    before = snapshot(runtime)
    assert error_of(api.get(path, query=query), 400, "InvalidParameter").startswith(f"{field}:")
    assert snapshot(runtime) == before
