"""The pytest plugin's fixtures against the in-process server: isolation, clock, journal, faults, seed, reset."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import httpx
import pytest

from mockserver.pytest_plugin import AdminError, MockNamespace, new_token

ROOT = Path(__file__).resolve().parents[2]
PENDING_ORDER = json.loads((ROOT / "fixtures/shoppex/invoices/orders-complete.inv_complete_1.json").read_text())
FROZEN = 1711956360
TOKENS_SEEN: set[str] = set()


def get(ns: MockNamespace, path: str) -> httpx.Response:
    return httpx.get(ns.url(path), headers=ns.shoppex_headers)


def post(ns: MockNamespace, path: str, body: dict | None = None) -> httpx.Response:
    return httpx.post(ns.url(path), headers=ns.shoppex_headers, json=body)


@pytest.fixture
def other(mockserver_server):
    """A second namespace on the same server, cleaned up like the `mockserver` one."""
    namespace = MockNamespace(mockserver_server, new_token())
    yield namespace
    namespace.close()


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_from_the_seeded_state(mockserver, run):
    # Whichever of the two runs goes second would see COMPLETED if namespaces leaked.
    assert mockserver.token.startswith("shx_test_") and mockserver.token not in TOKENS_SEEN
    TOKENS_SEEN.add(mockserver.token)
    assert get(mockserver, "/dev/v1/orders/inv_complete_1").json()["data"]["status"] == "PENDING"
    assert post(mockserver, "/dev/v1/orders/inv_complete_1/complete").status_code == 200


def test_two_namespaces_do_not_see_each_others_writes(mockserver, other):
    assert post(mockserver, "/dev/v1/orders/inv_complete_1/complete").json()["data"]["status"] == "COMPLETED"
    assert get(other, "/dev/v1/orders/inv_complete_1").json()["data"]["status"] == "PENDING"
    assert mockserver.label in mockserver.server.admin("GET", "/namespaces")["namespaces"]


def test_freeze_and_advance_set_updated_at(mockserver):
    assert mockserver.freeze(FROZEN)["frozen_at"] == FROZEN
    assert post(mockserver, "/dev/v1/orders/inv_complete_1/complete").json()["data"]["updated_at"] == FROZEN
    mockserver.advance(3600)
    order = post(mockserver, "/dev/v1/orders/inv_complete_1/fulfill").json()["data"]
    assert (order["status_details"], order["updated_at"]) == ("Fulfilled", FROZEN + 3600)


@pytest.mark.parametrize("instant", ["2024-04-01T07:26:00Z", "2024-04-01T07:26:00+00:00", float(FROZEN)])
def test_freeze_takes_iso_strings_and_numbers(mockserver, instant):
    assert mockserver.freeze(instant)["now"] == FROZEN
    assert mockserver.clock() == {"now": FROZEN, "iso": "2024-04-01T07:26:00Z", "frozen": True, "frozen_at": FROZEN}


def test_freeze_without_argument_stops_the_clock_now(mockserver):
    state = mockserver.freeze()
    assert state["frozen"] and abs(state["now"] - time.time()) < 5
    assert mockserver.unfreeze()["frozen"] is False


def test_closing_a_namespace_puts_the_clock_back_on_real_time(mockserver, other):
    other.freeze(FROZEN)
    other.advance(60)
    other.close()
    state = mockserver.clock()
    assert state["frozen"] is False and abs(state["now"] - time.time()) < 5


def test_requests_and_count_see_only_this_namespace(mockserver, other):
    for ns in (mockserver, other, other):
        post(ns, "/dev/v1/orders/inv_complete_1/complete")
    get(mockserver, "/dev/v1/orders/ord_123")
    entries = mockserver.requests()
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/dev/v1/orders/inv_complete_1/complete", 200),
        ("GET", "/dev/v1/orders/ord_123", 200),
    ]
    assert {e["namespace"] for e in entries} == {mockserver.label}
    assert mockserver.count(method="POST", path="/dev/v1/orders/*/complete") == 1
    assert other.count(method="POST", path="/dev/v1/orders/*/complete") == 2
    assert other.count(status=422) == 1
    assert mockserver.requests(method="GET", path="/dev/v1/orders/*")[0]["response"]["data"]["id"] == "ord_123"
    assert len(mockserver.requests(limit=1)) == 1


def test_fault_fails_matching_calls_then_stops_after_times(mockserver, other):
    rule = mockserver.fault(method="GET", path="/dev/v1/orders/*", status=503, error_code="UPSTREAM_DOWN", times=2)
    assert rule["namespace"] == mockserver.label
    for _ in range(2):
        response = get(mockserver, "/dev/v1/orders/ord_123")
        assert response.status_code == 503
        error = response.json()["error"]
        assert (error["code"], error["doc_url"].endswith("#UPSTREAM_DOWN")) == ("UPSTREAM_DOWN", True)
        assert set(error) == {"code", "message", "doc_url", "details"}
    assert get(mockserver, "/dev/v1/orders/ord_123").status_code == 200
    assert get(other, "/dev/v1/orders/ord_123").status_code == 200


def test_closing_a_namespace_clears_its_faults(mockserver, other):
    other.fault(path="/dev/v1/*", status=500)
    mockserver.fault(path="/dev/v1/*", status=500)
    other.close()
    namespaces = [rule["namespace"] for rule in mockserver.server.admin("GET", "/faults")["faults"]]
    assert other.label not in namespaces and mockserver.label in namespaces


def test_seed_makes_a_new_record_visible_in_this_namespace_only(mockserver, other):
    order = copy.deepcopy(PENDING_ORDER)
    order.update(id="inv_seeded_1", uniqid="eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee", customer_email="seeded@example.com")
    assert mockserver.seed({"shoppex.invoices": [order]}) == 1
    assert get(mockserver, "/dev/v1/orders/inv_seeded_1").json()["data"] == order
    assert get(mockserver, f"/dev/v1/invoices/{order['uniqid']}").status_code == 200
    assert get(other, "/dev/v1/orders/inv_seeded_1").status_code == 404


def test_reset_undoes_writes(mockserver):
    post(mockserver, "/dev/v1/orders/inv_complete_1/complete")
    mockserver.reset()
    assert get(mockserver, "/dev/v1/orders/inv_complete_1").json()["data"] == PENDING_ORDER


def test_snapshot_and_restore(mockserver):
    before = mockserver.snapshot()
    post(mockserver, "/dev/v1/orders/inv_complete_1/complete")
    mockserver.restore(before)
    assert get(mockserver, "/dev/v1/orders/inv_complete_1").json()["data"]["status"] == "PENDING"


def test_shoplazza_headers_use_the_same_namespace(mockserver):
    response = httpx.get(mockserver.url("/openapi/2025-06/orders"), headers=mockserver.shoplazza_headers)
    assert (response.status_code, response.json()["code"]) == (200, "Success")
    assert mockserver.count(path="/openapi/*") == 1


def test_admin_errors_raise_with_status_and_body(mockserver):
    with pytest.raises(AdminError) as info:
        mockserver.fault(path="/dev/v1/*")
    assert info.value.status == 422 and "status" in info.value.body


def test_real_time_drops_a_frozen_instant_and_any_offset(mockserver):
    mockserver.freeze(FROZEN)
    assert mockserver.unfreeze()["now"] < FROZEN + 3600  # running again, but from 2024
    before = time.time()
    state = mockserver.real_time()
    assert state["frozen"] is False and int(before) <= state["now"] <= time.time()


def test_closing_after_unfreeze_still_returns_to_real_time(mockserver, other):
    other.freeze(FROZEN)
    other.unfreeze()
    other.close()
    before = time.time()
    assert int(before) - 1 <= mockserver.clock()["now"] <= time.time()


def test_a_fresh_namespace_can_be_inspected_before_its_first_request(mockserver):
    assert mockserver.requests() == [] and mockserver.count() == 0
    assert mockserver.snapshot()["namespace"] == mockserver.label
    mockserver.reset()
    assert mockserver.label in mockserver.server.admin("GET", "/namespaces")["namespaces"]


def test_a_fault_set_before_the_first_request_fires(mockserver):
    mockserver.fault(path="/dev/v1/orders/*", status=503, times=1)
    assert get(mockserver, "/dev/v1/orders/ord_123").status_code == 503
    assert [e["status"] for e in mockserver.requests()] == [503]
