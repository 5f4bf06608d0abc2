"""The clock back on real time (DELETE /__admin/clock, reset of every namespace), and refusals that say an order expired."""

import json
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PENDING = json.loads((ROOT / "fixtures/shoppex/invoices/orders-complete.inv_complete_1.json").read_text())
A = {"Authorization": "Bearer shx_a"}
FROZEN = 1711956360


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).isoformat().replace("+00:00", "Z")


def assert_real_time(state: dict, before: float, after: float) -> None:
    """Not frozen, and reading the real time: between the wall-clock readings taken around the call."""
    assert state["frozen"] is False and state["frozen_at"] is None
    assert int(before) <= state["now"] <= after


def test_delete_clock_returns_to_real_time_from_frozen_and_advanced(client):
    client.post("/__admin/clock", json={"frozen_at": FROZEN})
    client.post("/__admin/clock", json={"advance": 86400})
    before = time.time()
    state = client.delete("/__admin/clock").get_json()
    assert_real_time(state, before, time.time())
    assert_real_time(client.get("/__admin/clock").get_json(), before, time.time())


def test_delete_clock_drops_an_offset_left_by_unfreezing(client):
    client.post("/__admin/clock", json={"frozen_at": FROZEN})
    # The existing form still resumes from the frozen instant: the clock runs, in 2024.
    resumed = client.post("/__admin/clock", json={"frozen_at": None}).get_json()
    assert resumed["frozen"] is False and resumed["now"] < FROZEN + 3600
    before = time.time()
    assert_real_time(client.delete("/__admin/clock").get_json(), before, time.time())


def test_resetting_every_namespace_returns_the_clock_to_real_time(client):
    client.post("/__admin/clock", json={"frozen_at": FROZEN})
    before = time.time()
    client.post("/__admin/reset")
    assert_real_time(client.get("/__admin/clock").get_json(), before, time.time())


def test_resetting_one_namespace_leaves_the_shared_clock_alone(client):
    client.get("/dev/v1/orders/ord_123", headers=A)
    frozen = client.post("/__admin/clock", json={"frozen_at": FROZEN}).get_json()
    client.post("/__admin/reset?namespace=shx_a")
    assert client.get("/__admin/clock").get_json() == frozen


def refusal(client, method, path, body=None):
    response = client.open(path, method=method, json=body, headers=A)
    # Completion's refusal is the documented 422; the other actions' are business-rule 400s.
    assert response.status_code == (422 if path.endswith("/complete") else 400), response.get_json()
    return response.get_json()["error"]


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/dev/v1/orders/inv_complete_1/complete", None),
        ("POST", "/dev/v1/orders/inv_complete_1/fulfill", None),
        ("POST", f"/dev/v1/invoices/{PENDING['uniqid']}/void", None),
        ("PATCH", "/dev/v1/orders/inv_complete_1", {"affiliate_code": None}),
    ],
)
def test_a_refusal_because_the_order_expired_says_so_and_when(client, runtime, method, path, body):
    ttl = runtime.settings.invoice_ttl
    # Seeded before the order's created_at, so its deadline counts from created_at.
    client.post("/__admin/clock", json={"frozen_at": PENDING["created_at"] - 60})
    client.get("/dev/v1/orders/inv_complete_1", headers=A)
    client.post("/__admin/clock", json={"frozen_at": PENDING["created_at"] + ttl + 3600})
    error = refusal(client, method, path, body)
    message = error["message"]
    assert "is VOIDED" in message and "expired unpaid" in message
    assert iso(PENDING["created_at"] + ttl) in message and "created_at + invoice TTL" in message
    assert path.split("/")[4] in message  # the id or uniqid the client named


def test_freezing_more_than_a_ttl_ahead_explains_why_a_seeded_order_is_refused(client, runtime):
    # Seeded now (long after the fixture's created_at): the deadline counts from the seeding.
    client.get("/dev/v1/orders/inv_complete_1", headers=A)
    seeded = runtime.store.seeded_at("shx_a")
    client.post("/__admin/clock", json={"frozen_at": seeded + runtime.settings.invoice_ttl + 60})
    message = refusal(client, "POST", "/dev/v1/orders/inv_complete_1/complete")["message"]
    assert message.startswith("Order inv_complete_1 is VOIDED: it expired unpaid at")
    assert iso(seeded + runtime.settings.invoice_ttl) in message and "namespace seeded + invoice TTL" in message


def test_a_refusal_of_an_order_that_did_not_expire_keeps_its_documented_message(client):
    client.post("/dev/v1/orders/inv_complete_1/complete", headers=A)
    message = refusal(client, "POST", "/dev/v1/orders/inv_complete_1/complete")["message"]
    assert "expired" not in message
