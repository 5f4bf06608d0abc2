"""The official Shoppex Python SDK pointed at a real server process (the session's, see conftest.py)."""

import json

import pytest
from shoppexio import ShoppexApiError, ShoppexClient

from tests.conftest import load_examples

EXAMPLES = {e["name"]: e["response"]["body"]["data"] for e in load_examples("shoppex")}


@pytest.fixture
def sdk(server, request):
    # A key per test is a namespace per test: each test sees freshly seeded fixtures.
    return ShoppexClient(api_key=f"shx_{request.node.name}", base_url=server.url)


def test_get_order_by_id_and_uniqid(sdk):
    expected = EXAMPLES["002_get_order"]
    assert sdk.orders.get(expected["id"]).data.raw == expected
    assert sdk.orders.get(expected["uniqid"]).data.raw == expected


def test_update_order_attribution(sdk):
    expected = EXAMPLES["001_update_order_put"]
    order = sdk.orders.update(expected["id"], {"referral_code": expected["affiliate_code"]}).data
    assert {k: order[k] for k in ("affiliate_link_id", "affiliate_customer_id", "affiliate_code")} == {
        k: expected[k] for k in ("affiliate_link_id", "affiliate_customer_id", "affiliate_code")
    }


def test_complete_then_complete_again(sdk):
    expected = EXAMPLES["000_complete_order"]
    order = sdk.orders.complete(expected["id"], {"note": "Completed by external gateway"}).data
    assert (order.status, order["payment_status"], order["status_details"]) == ("COMPLETED", "COMPLETED", "Completed")
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.complete(expected["id"])
    error = info.value
    assert (error.status, error.code) == (422, "VALIDATION_ERROR")
    assert str(error) == "Invoice already COMPLETED, or status is not completable."
    assert error.request_id and error.doc_url.endswith("#VALIDATION_ERROR")


def test_get_invoice(sdk):
    expected = EXAMPLES["003_get_invoice"]
    assert sdk.invoices.get(expected["uniqid"]).data.raw == expected


def test_unknown_order_raises_not_found(sdk):
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.get("ord_missing")
    assert (info.value.status, info.value.code) == (404, "NOT_FOUND")


def test_bad_key_raises_unauthorized(server):
    sdk = ShoppexClient(api_key="shx_x", base_url=server.url)
    sdk._http.headers["Authorization"] = "Token shx_x"
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.get("ord_123")
    assert (info.value.status, info.value.code) == (401, "UNAUTHORIZED")
    assert json.dumps(info.value.raw).startswith('{"error"')
