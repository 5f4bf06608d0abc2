"""The /__admin control plane: namespaces, reset, clock, journal, faults, snapshots, fixtures."""

import json
import threading
import time

import pytest

from mockserver.labels import namespace_label
from tests.conftest import load_examples

A = {"Authorization": "Bearer shx_a"}
B = {"Authorization": "Bearer shx_b"}
COMPLETE = "/dev/v1/orders/inv_complete_1/complete"
ORDER = "/dev/v1/orders/inv_complete_1"


def status_of(client, headers):
    return client.get(ORDER, headers=headers).get_json()["data"]["status"]


def test_namespaces_and_reset_of_one(client):
    client.post(COMPLETE, headers=A)
    client.post(COMPLETE, headers=B)
    labels = sorted(namespace_label(key) for key in ("shx_a", "shx_b"))
    assert sorted(client.get("/__admin/namespaces").get_json()["namespaces"]) == labels
    assert client.post("/__admin/reset?namespace=shx_a").get_json() == {"reset": [namespace_label("shx_a")]}
    assert (status_of(client, A), status_of(client, B)) == ("PENDING", "COMPLETED")
    client.post("/__admin/reset")
    assert status_of(client, B) == "PENDING"


@pytest.mark.parametrize("frozen_at", [1711956360, "2024-04-01T07:26:00Z"])
def test_clock_freeze_advance_and_release(client, frozen_at):
    state = client.post("/__admin/clock", json={"frozen_at": frozen_at}).get_json()
    assert (state["now"], state["frozen"]) == (1711956360, True)
    assert client.post("/__admin/clock", json={"advance": 60}).get_json()["now"] == 1711956420
    assert client.post(COMPLETE, headers=A).get_json()["data"]["updated_at"] == 1711956420
    released = client.post("/__admin/clock", json={"frozen_at": None}).get_json()
    assert released["frozen"] is False and released["frozen_at"] is None


@pytest.mark.parametrize(
    "body, field", [({}, "frozen_at"), ({"frozen_at": "yesterday"}, "frozen_at"), ({"advance": -5}, "advance"), ({"tick": 1}, "tick")]
)
def test_clock_refuses_bad_changes(client, body, field):
    response = client.post("/__admin/clock", json=body)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.get_json()["error"]["details"]]


def test_every_documented_shoppex_example_under_the_admin_clock(client):
    for example in load_examples("shoppex"):
        client.post("/__admin/reset")
        client.post("/__admin/clock", json={"frozen_at": example["frozen_at"]})
        request = example["request"]
        response = client.open(request["path"], method=request["method"], json=request["body"], headers=A)
        assert response.get_json() == example["response"]["body"], example["name"]


def test_journal_records_and_filters_with_secrets_redacted(client):
    client.post(COMPLETE, json={"note": "paid"}, headers={"Authorization": "Bearer shx_secret_key_123456"})
    client.get(ORDER, headers=B)
    client.get("/__admin/health")
    entries = client.get("/__admin/requests").get_json()["requests"]
    assert [(e["method"], e["path"]) for e in entries] == [("POST", COMPLETE), ("GET", ORDER)]
    first = entries[0]
    assert first["body"] == {"note": "paid"} and first["status"] == 200 and first["response"]["data"]["status"] == "COMPLETED"
    assert first["namespace"] == namespace_label("shx_secret_key_123456")
    assert "shx_secret_key_123456" not in str(first["headers"])
    assert client.get("/__admin/requests?method=GET&path=/dev/v1/orders/*").get_json()["requests"][0]["namespace"] == namespace_label(
        "shx_b"
    )
    assert client.post("/__admin/requests/count", json={"method": "POST", "path": "/dev/v1/orders/*/complete"}).get_json() == {"count": 1}
    assert client.post("/__admin/requests/count", json={"namespace": "shx_b"}).get_json() == {"count": 1}
    assert client.delete("/__admin/requests").get_json() == {"cleared": 2}
    assert client.get("/__admin/requests").get_json()["requests"] == []


def test_journal_is_a_bounded_ring(storage):
    from mockserver import create_app
    from mockserver.config import Settings

    client = create_app(Settings(db=storage, journal_size=3)).test_client()
    for _ in range(5):
        client.get(ORDER, headers=A)
    entries = client.get("/__admin/requests").get_json()["requests"]
    assert len(entries) == 3 and entries[-1]["id"] == 5


def test_fault_in_each_apis_envelope_counts_down(client):
    rule = client.post(
        "/__admin/faults", json={"method": "POST", "path": "/dev/v1/orders/*/complete", "status": 503, "times": 2}
    ).get_json()
    assert rule["fault"]["times"] == 2
    for _ in range(2):
        failed = client.post(COMPLETE, headers=A)
        assert failed.status_code == 503 and failed.get_json()["error"]["code"] == "INTERNAL_ERROR"
    assert client.post(COMPLETE, headers=A).status_code == 200
    assert client.get("/__admin/faults").get_json() == {"faults": []}
    client.post("/__admin/faults", json={"path": "/openapi/*", "status": 429, "error_code": "TooManyRequests"})
    shoplazza = client.get("/openapi/2025-06/orders", headers={"access-token": "t"})
    assert shoplazza.status_code == 429 and shoplazza.get_json()["code"] == "TooManyRequests"


def test_fault_with_a_body_namespace_and_reproducible_probability(client):
    client.get(ORDER, headers=A)
    client.post("/__admin/faults", json={"path": ORDER, "status": 500, "body": {"oops": True}, "namespace": "shx_a"})
    assert client.get(ORDER, headers=B).status_code == 200
    assert client.get(ORDER, headers=A).get_json() == {"oops": True}
    client.delete("/__admin/faults")

    def pattern():
        client.delete("/__admin/faults")
        client.post("/__admin/faults", json={"path": ORDER, "status": 502, "probability": 0.5, "seed": 7})
        return [client.get(ORDER, headers=B).status_code for _ in range(20)]

    first = pattern()
    assert first == pattern() and 502 in first and 200 in first


@pytest.fixture(scope="module")
def granian_server():
    """`mockserver serve` as users run it: granian, one worker process, a thread pool."""
    from tests.e2e.conftest import LiveServer

    server = LiveServer()
    yield server
    server.stop()


def test_a_delay_does_not_hold_up_other_requests(granian_server):
    import urllib.request

    base = granian_server.url
    key = {"Authorization": "Bearer shx_delay"}
    rule = {"path": "/dev/v1/orders/ord_123", "delay_ms": 1500, "namespace": "shx_delay", "times": 3}
    # A fault names a namespace in use: loading no records creates it before its first request.
    create = urllib.request.Request(base + "/__admin/fixtures?namespace=shx_delay", data=b'{"records": {}}', method="POST")
    urllib.request.urlopen(create, timeout=5).read()
    add = urllib.request.Request(base + "/__admin/faults", data=json.dumps(rule).encode(), method="POST")
    urllib.request.urlopen(add, timeout=5).read()

    def slow_call():
        urllib.request.urlopen(urllib.request.Request(base + "/dev/v1/orders/ord_123", headers=key), timeout=10).read()

    slow = [threading.Thread(target=slow_call) for _ in range(3)]
    for thread in slow:
        thread.start()
    time.sleep(0.2)
    try:
        for path in (ORDER, "/dev/v1/invoices/22222222-2222-4222-8222-222222222222", "/__admin/health"):
            started = time.perf_counter()
            urllib.request.urlopen(urllib.request.Request(base + path, headers=key), timeout=5).read()
            assert time.perf_counter() - started < 0.5, path
        assert all(thread.is_alive() for thread in slow), "the delayed requests are still waiting"
    finally:
        for thread in slow:
            thread.join(10)


def test_snapshot_round_trip_and_fixtures_at_run_time(client):
    client.post(COMPLETE, headers=A)
    snapshot = client.get("/__admin/snapshot?namespace=shx_a").get_json()
    assert snapshot["namespace"] == namespace_label("shx_a") and "shoppex.invoices" in snapshot["records"]
    restored = client.put("/__admin/snapshot?namespace=shx_copy", json=snapshot).get_json()
    assert restored["restored"] == sum(len(v) for v in snapshot["records"].values())
    assert status_of(client, {"Authorization": "Bearer shx_copy"}) == "COMPLETED"
    new = {"id": "inv_loaded", "uniqid": "u-loaded", "status": "PENDING", "customer_email": "x@example.com", "created_at": 1}
    loaded = client.post("/__admin/fixtures?namespace=shx_a", json={"records": {"shoppex.invoices": [new]}}).get_json()
    assert loaded["loaded"] == 1
    assert client.get("/dev/v1/orders/u-loaded", headers=A).get_json()["data"]["id"] == "inv_loaded"
    assert client.get("/dev/v1/orders/u-loaded", headers=B).status_code == 404


@pytest.mark.parametrize(
    "path, body",
    [
        ("/__admin/fixtures?namespace=x", {"records": {"shoppex.invoices": [{"no": "id"}]}}),
        ("/__admin/fixtures?namespace=x", {"records": {"Bad Kind": []}}),
        ("/__admin/fixtures", {"records": {}}),
    ],
)
def test_bad_fixture_loads_are_refused(client, path, body):
    response = client.post(path, json=body)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "VALIDATION_ERROR"


def test_admin_errors_are_json(client):
    response = client.get("/__admin/nothing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "NOT_FOUND"


def contains(actual, documented):
    """The documented (possibly elided) response is contained, exactly, in the actual one."""
    if isinstance(documented, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in documented.items())
    return actual == documented


def test_every_documented_shoplazza_scenario_under_the_admin_clock(client):
    for example in load_examples("shoplazza"):
        client.post("/__admin/reset")
        client.post("/__admin/clock", json={"frozen_at": example["frozen_at"]})
        request = example["request"]
        response = client.open(request["path"], method=request["method"], json=request["body"], headers={"access-token": "tok"})
        assert response.status_code == example["response"]["status"]
        assert contains(response.get_json(), example["response"]["body"]), example["name"]


def test_namespaces_stay_isolated_under_concurrent_load(app):
    from concurrent.futures import ThreadPoolExecutor

    def work(n):
        client = app.test_client()
        key = {"Authorization": f"Bearer shx_load_{n}"}
        created = client.post(
            "/dev/v1/payments", json={"title": f"t{n}", "email": f"{n}@example.com", "value": n + 1, "currency": "USD"}, headers=key
        )
        listed = client.get("/dev/v1/payments", headers=key).get_json()["data"]
        return n, created.get_json()["data"]["uniqid"], [p["uniqid"] for p in listed]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(work, range(32)))
    for _n, uniqid, listed in results:
        assert listed == [uniqid]


@pytest.mark.parametrize("body", [{"frozen_at": 253402300800}, {"frozen_at": -1}, {"advance": 1e300}])
def test_the_clock_refuses_times_it_cannot_render_and_stays_put(client, body):
    before = client.post("/__admin/clock", json={"frozen_at": 1711956360}).get_json()
    response = client.post("/__admin/clock", json=body)
    assert response.status_code == 422
    assert client.get("/__admin/clock").get_json() == before


def test_advancing_past_9999_is_refused(client):
    client.post("/__admin/clock", json={"frozen_at": 253402300000})
    assert client.post("/__admin/clock", json={"advance": 3000}).status_code == 422
    assert client.get("/__admin/clock").get_json()["now"] == 253402300000


@pytest.fixture
def local_time_not_utc(monkeypatch):
    """The server process in a time zone far from UTC (so reading a time as local would show)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_an_iso_time_without_a_zone_is_utc(client, local_time_not_utc):
    assert client.post("/__admin/clock", json={"frozen_at": "2024-04-01T07:26:00"}).get_json()["now"] == 1711956360
    assert client.post("/__admin/clock", json={"frozen_at": "2024-04-01T09:26:00+02:00"}).get_json()["now"] == 1711956360


@pytest.mark.parametrize("field, value", [("times", 1.5), ("times", "2"), ("delay_ms", 10.5), ("status", 503.0), ("times", True)])
def test_fault_numbers_must_be_integers(client, field, value):
    response = client.post("/__admin/faults", json={"status": 503, field: value})
    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == [field]
