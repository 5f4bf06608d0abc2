"""Shared helpers of the Shoplazza tests: the documented order, a client bound to a version and token, assertions."""

from __future__ import annotations

import calendar
import copy
import json
import time
from pathlib import Path

# The registry-conformance check (tests/shoplazza/conformance.py), re-exported for every Shoplazza test.
from .conformance import assert_conforms as assert_conforms

VERSIONS = ("2025-06", "2026-01")
EXAMPLES_DIR = Path(__file__).parent.parent / "examples" / "shoplazza"
ORDER_ID = "365154185097449134715"
TOKEN = "shoplazza_test_token"
# The documented payment/success answer time (seed 004's updated_at).
DOCUMENTED_NOW = calendar.timegm(time.strptime("2025-10-31T08:09:22Z", "%Y-%m-%dT%H:%M:%SZ"))

NEW_ORDER = {
    "order": {
        "line_items": [
            {"product_id": "p1", "variant_id": "v1", "quantity": 3, "price": "10.10", "product_title": "Mug"},
            {"quantity": 2, "total_price": "5.01", "product_title": "Sticker pack"},
        ],
        "shipping_address": {
            "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "country_code": "GB",
            "province": "London", "province_code": "LND", "city": "London", "address": "12 St James's Square", "zip": "SW1Y 4JH",
        },
        "shipping_line": {"shipping_name": "Royal Mail", "shipping_price": "4.5"},
        "tax_total": "1.99",
        "currency_code": "GBP",
        "tags": ["vip", "api"],
        "discount": "0.50",
        "note": "leave at the door",
    }
}  # fmt: skip


class Shoplazza:
    """A test client bound to one API version and one access-token."""

    def __init__(self, client, version: str, token: str | None = TOKEN):
        self.client = client
        self.version = version
        self.token = token

    def path(self, suffix: str) -> str:
        """/openapi/<version>/<suffix>."""
        return f"/openapi/{self.version}/{suffix.lstrip('/')}"

    def call(self, method: str, suffix: str, body=None, *, token: str | None = "default", query=None):
        """Send a request; `token=None` sends no access-token header."""
        token = self.token if token == "default" else token
        headers = {} if token is None else {"access-token": token}
        return self.client.open(self.path(suffix), method=method, json=body, headers=headers, query_string=query)

    def get(self, suffix: str, **kwargs):
        """GET."""
        return self.call("GET", suffix, **kwargs)

    def post(self, suffix: str, body=None, **kwargs):
        """POST with a JSON body."""
        return self.call("POST", suffix, body, **kwargs)

    def put(self, suffix: str, body=None, **kwargs):
        """PUT with a JSON body."""
        return self.call("PUT", suffix, body, **kwargs)

    def delete(self, suffix: str, **kwargs):
        """DELETE."""
        return self.call("DELETE", suffix, **kwargs)

    def order(self, order_id: str = ORDER_ID) -> dict:
        """The order as GET returns it (asserts 200)."""
        response = self.get(f"orders/{order_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]["order"]

    def pay(self, order_id: str = ORDER_ID, body=None):
        """POST payment/success."""
        return self.post(f"orders/{order_id}/payment/success", body if body is not None else {})

    def create(self, body=None) -> dict:
        """Create an order (asserts 200) and return it."""
        response = self.post("orders", copy.deepcopy(body or NEW_ORDER))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]["order"]


def nonempty(obj: dict) -> dict:
    """The fields of `obj` that are not "" (a payment_line carries every registry field, most of them empty)."""
    return {key: value for key, value in obj.items() if value != ""}


def example(name: str) -> dict:
    """A documented request/response pair, from tests/examples/shoplazza/<name>.json."""
    return json.loads((EXAMPLES_DIR / f"{name}.json").read_text())


def documented_payment_line(name: str) -> dict:
    """The payment_line seed 004 documents for a scenario (tests/examples/shoplazza/<name>.json)."""
    return example(name)["response"]["body"]["data"]["order"]["payment_line"]


def error_of(response, status: int, code: str) -> str:
    """Assert an error envelope with `status` and `code`; return its message."""
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"code", "message"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert response.headers.get("Request-Id")
    return body["message"]


def whole_store(runtime) -> dict:
    """Every namespace and every document in it: what a request refused before it has a namespace must not change."""
    store = runtime.store
    return {namespace: store.export(namespace) for namespace in store.namespaces()}


def snapshot(runtime, namespace: str = TOKEN) -> dict:
    """Every Shoplazza document of a namespace, to compare before and after a refused request."""
    store = runtime.store
    kinds = (
        "shoplazza.orders",
        "shoplazza.transactions",
        "shoplazza.shops",
        "shoplazza.refunds",
        "shoplazza.post_sales",
        "shoplazza.risks",
    )
    return {kind: [dict(doc) for doc in store.all(namespace, kind)] for kind in kinds}
