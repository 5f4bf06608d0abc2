"""The official SDK's product writes against a live server fire the product events to a real receiver, signed."""

import json

from shoppexio import ShoppexClient

from mockserver.shoppex.webhooks import PRODUCT_EVENTS
from tests.webhooks.test_shoppex_webhooks import verify_shoppex


def test_sdk_create_and_update_deliver_product_events(server, receiver, request):
    sdk = ShoppexClient(api_key=f"shx_product_events_{request.node.name}", base_url=server.url)
    hook = sdk.webhooks.create({"url": receiver.url, "events": list(PRODUCT_EVENTS)}).data
    secret = sdk.webhooks.get(hook.id).data["secret"]
    product = sdk.products.create({"title": "SDK Keys", "price": 4, "type": "SERIALS"}).data
    sdk.products.update(product.id, {"stock": 9})
    received = receiver.wait_for(3)
    payloads = [json.loads(r["body"]) for r in received]
    assert sorted(p["event"] for p in payloads) == ["product:created", "product:edited", "product:stock"]
    for request_seen in received:
        verify_shoppex(secret, request_seen["headers"], request_seen["body"])
    # The update's events carry the product as the SDK reads it afterwards.
    current = sdk.products.get(product.id).data.raw
    assert all(p["data"] == current for p in payloads if p["event"] != "product:created")
    logged = sdk.webhooks.logs_all({"per_page": 10})
    assert sorted(e["event_type"] for e in logged) == sorted(p["event"] for p in payloads)
