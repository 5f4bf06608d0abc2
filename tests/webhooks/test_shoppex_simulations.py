"""Each platform-side event played through POST /__admin/shoppex/orders/{id}/simulate fires its documented webhook event."""

import json
from pathlib import Path

import pytest

from tests.webhooks.test_shoppex_webhooks import AUTH, subscribe, verify_shoppex

DOCUMENTED = json.loads((Path(__file__).parents[2] / "docs" / "reference" / "shoppex-documented.json").read_text())
ORDER_EVENTS = DOCUMENTED["order_events"]
ORDER = "inv_complete_1"  # a seeded PENDING order
NAMESPACE = AUTH["Authorization"].split()[1]
SIMULATE = f"/__admin/shoppex/orders/{ORDER}/simulate?namespace={NAMESPACE}"
COMPLETE = ("POST", f"/dev/v1/orders/{ORDER}/complete", {})

# simulated event -> (the steps that lead to a status it may happen in, the webhook event it fires, the status it leads to)
CASES = {
    "manual_payment_pending": ([], "order:manual_payment_pending", "PENDING_PAYMENT"),
    "waiting_for_confirmations": ([], "order:updated", "WAITING_FOR_CONFIRMATIONS"),
    "partial_payment": ([], "order:partial", "PARTIAL"),
    "payment_confirmed": (["partial_payment"], "order:paid", "COMPLETED"),
    "dispute_opened": ([COMPLETE], "order:disputed", "CUSTOMER_DISPUTE_ONGOING"),
    "dispute_won": ([COMPLETE, "dispute_opened"], "order:updated", "COMPLETED"),
    "dispute_lost": ([COMPLETE, "dispute_opened"], "order:updated", "REVERSED"),
    "reversed": ([COMPLETE], "order:updated", "REVERSED"),
}


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def step(client, action):
    """One API call or simulated event on the order."""
    method, path, body = action if isinstance(action, tuple) else ("POST", SIMULATE, {"event": action})
    response = client.open(path, method=method, json=body, headers=AUTH)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


@pytest.mark.parametrize("event", CASES)
def test_a_simulated_event_moves_the_order_and_fires_its_documented_event(client, receiver, event):
    before, fired, status = CASES[event]
    for action in before:
        step(client, action)
    variants = [fired, f"{fired}:product"] if fired in ORDER_EVENTS["with_product_variant"] else [fired]
    hook = subscribe(client, receiver.url, variants)
    shown = step(client, event)
    assert shown["status"] == status
    assert shown == client.get(f"/dev/v1/orders/{ORDER}", headers=AUTH).get_json()["data"]
    received = receiver.wait_for(len(variants))
    assert sorted(json.loads(r["body"])["event"] for r in received) == sorted(variants)
    for request in received:
        verify_shoppex(hook["secret"], request["headers"], request["body"])
        payload = json.loads(request["body"])
        products = payload["data"].pop("products", None)
        assert payload["data"] == shown and (products is not None) == payload["event"].endswith(":product")


def test_every_documented_order_event_is_caused_by_the_api_or_a_simulation():
    caused = {fired for _before, fired, _status in CASES.values()} | {"order:created", "order:paid", "order:cancelled"}
    assert set(ORDER_EVENTS["descriptions"]) <= caused


@pytest.mark.parametrize(
    "path, body, status, field",
    [
        (SIMULATE, {"event": "dispute_opened"}, 400, "status"),  # a PENDING order cannot be disputed: a business rule
        (SIMULATE, {"event": "teleported"}, 422, "event"),
        (SIMULATE, {}, 422, "event"),
        (f"/__admin/shoppex/orders/inv_nope/simulate?namespace={NAMESPACE}", {"event": "reversed"}, 404, None),
        (f"/__admin/nope/orders/{ORDER}/simulate?namespace={NAMESPACE}", {"event": "reversed"}, 404, None),
        (f"/__admin/shoppex/orders/{ORDER}/simulate", {"event": "reversed"}, 422, "namespace"),
    ],
)
def test_a_refused_simulation_names_what_is_wrong_and_changes_nothing(client, path, body, status, field):
    before = client.get(f"/dev/v1/orders/{ORDER}", headers=AUTH).get_json()["data"]
    refused = client.post(path, json=body, headers=AUTH)
    assert refused.status_code == status
    error = refused.get_json()["error"]
    assert error["message"] and (field is None or field in [d["field"] for d in error["details"]])
    assert client.get(f"/dev/v1/orders/{ORDER}", headers=AUTH).get_json()["data"] == before
