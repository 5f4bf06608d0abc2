"""The official SDK against a live server: the shop (me, capabilities), every documented webhook event, the delivery log."""

import json
from pathlib import Path

import httpx
import pytest
from shoppexio import ShoppexApiError, ShoppexClient

from tests.webhooks.test_shoppex_webhooks import verify_shoppex

DOCS = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())


@pytest.fixture
def sdk(server, request):
    return ShoppexClient(api_key=f"shx_shop_{request.node.name}", base_url=server.url)


def test_me_has_the_store_name_the_sdk_reads_and_capabilities(sdk):
    shop = sdk.me.get().data
    assert shop["store_name"] == shop["name"]
    capabilities = sdk.me.capabilities().data
    assert capabilities["shop_id"] == shop["id"] and capabilities["scopes"] == ["*"]


def test_every_documented_event_through_the_sdk(sdk):
    events = DOCS["webhook_events"]["events"]
    assert set(events) <= set(sdk.webhooks.events().data)
    # 1-12 events per webhook: the 33 in three subscriptions.
    hooks = [sdk.webhooks.create({"url": "http://127.0.0.1:9/hook", "events": events[i : i + 12]}).data for i in range(0, 33, 12)]
    assert sorted(e for hook in hooks for e in sdk.webhooks.get(hook.id).data["events"]) == sorted(events)
    # The docs' PATCH example.
    changed = sdk.webhooks.update(hooks[0].id, {"events": ["order:paid", "payment:completed"]}).data
    assert changed["events"] == ["order:paid", "payment:completed"]


def test_logs_and_logs_all_read_the_documented_shape(sdk):
    hook = sdk.webhooks.create({"url": "http://127.0.0.1:9/hook", "events": ["order:paid"]}).data
    for _ in range(3):
        sdk.webhooks.test(hook.id)
    page = sdk.webhooks.logs({"per_page": 2})
    assert len(page.data) == 2 and page.pagination.has_more is True
    entries = sdk.webhooks.logs_all({"per_page": 2})
    assert len(entries) == 3 and {e["webhook_uniqid"] for e in entries} == {hook.id}
    assert set(entries[0].raw) == set(DOCS["webhook_log"]["example"])
    with pytest.raises(ShoppexApiError) as info:
        sdk.webhooks.logs({"status": "retrying"})
    assert (info.value.status, info.value.code) == (422, "VALIDATION_ERROR")


def test_a_dispute_simulated_on_an_sdk_order_is_what_the_sdk_reads(server, request):
    key = f"shx_dispute_{request.node.name}"
    sdk = ShoppexClient(api_key=key, base_url=server.url)
    order = sdk.orders.create({"email": "dispute@example.com", "gateway": "STRIPE", "items": [{"product_id": "prod_2"}]}).data
    sdk.orders.complete(order.id)
    simulate = f"{server.url}/__admin/shoppex/orders/{order.id}/simulate"
    for event, status in (("dispute_opened", "CUSTOMER_DISPUTE_ONGOING"), ("dispute_lost", "REVERSED")):
        response = httpx.post(simulate, params={"namespace": key}, json={"event": event})
        assert response.status_code == 200, response.text
        assert sdk.orders.get(order.id).data.status == status
    # A reversed order is no longer refundable: a business-rule refusal.
    with pytest.raises(ShoppexApiError) as info:
        sdk.orders.refund(order.id, {})
    assert (info.value.status, info.value.code) == (400, "BAD_REQUEST")


def test_rotate_secret_and_retry_log_through_the_sdk(server, receiver, request):
    sdk = ShoppexClient(api_key=f"shx_shop_{request.node.name}", base_url=server.url)
    hook = sdk.webhooks.create({"url": receiver.url, "events": ["order:paid"]}).data
    old = sdk.webhooks.get(hook.id).data["secret"]
    # A rotated secret signs every later delivery; the old one no longer verifies.
    new = sdk.webhooks.rotate_secret(hook.id).data["secret"]
    assert new and new != old
    sdk.webhooks.test(hook.id)
    first = receiver.wait_for(1)[0]
    verify_shoppex(new, first["headers"], first["body"])
    with pytest.raises(AssertionError):
        verify_shoppex(old, first["headers"], first["body"])
    # Retrying a logged delivery sends the same event again, and the log shows it.
    (entry,) = sdk.webhooks.logs_all({"per_page": 10})
    sdk.webhooks.retry_log(entry["id"])
    again = receiver.wait_for(2)[1]
    assert json.loads(again["body"])["event"] == json.loads(first["body"])["event"] == "order:paid"
    verify_shoppex(new, again["headers"], again["body"])
